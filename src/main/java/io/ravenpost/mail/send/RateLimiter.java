package io.ravenpost.mail.send;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.common.FixedWindow;
import io.ravenpost.common.NodeContext;
import io.ravenpost.common.config.MailConfig;
import io.ravenpost.mail.box.MailKeys;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Player-to-player sends per sender and window, counted in Redis so the limit holds cluster-wide. */
public final class RateLimiter {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

  private final NodeContext ctx;
  private final MailKeys keys;
  private final MailConfig cfg;

  public RateLimiter(NodeContext ctx, MailKeys keys, MailConfig cfg) {
    this.ctx = ctx;
    this.keys = keys;
    this.cfg = cfg;
  }

  /** Counts one send; RATE_LIMITED over the limit. With Redis down the send is allowed (and logged). */
  Future<Void> hit(long uid) {
    return FixedWindow.hit(ctx.redis(), keys.sendRate(uid), cfg.playerSendWindowSeconds() * 1000L)
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
