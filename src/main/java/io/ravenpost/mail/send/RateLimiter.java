package io.ravenpost.mail.send;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.common.FixedWindow;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.MailConfig;
import io.ravenpost.mail.box.MailKeys;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Player-to-player sends per sender and window, counted in Redis so the limit holds cluster-wide. */
public final class RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

  private final Stores stores;
  private final MailKeys keys;
  private final MailConfig cfg;

  public RateLimiter(Stores stores, MailKeys keys, MailConfig cfg) {
    this.stores = stores;
    this.keys = keys;
    this.cfg = cfg;
  }

  /** Counts one send; RATE_LIMITED over the limit. With Redis down the send is allowed (and logged). */
  Future<Void> hit(long uid) {
    return FixedWindow.hit(stores.redis(), keys.sendRate(uid), cfg.playerSendWindowSeconds() * 1000L)
        .transform(ar -> {
          if (ar.failed()) {
            LOG.warn("send rate of uid={} not counted: {}", uid, ar.cause().getMessage());
            return Future.succeededFuture();
          }
          return ar.result() <= cfg.playerSendLimit() ? Future.succeededFuture()
              : Future.failedFuture(ErrorCode.RATE_LIMITED.error("at most " + cfg.playerSendLimit()
                  + " mails per " + cfg.playerSendWindowSeconds() + " s"));
        });
  }
}
