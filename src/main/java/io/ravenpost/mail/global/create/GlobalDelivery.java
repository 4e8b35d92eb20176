package io.ravenpost.mail.global.create;

import io.ravenpost.api.AuditContext;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.mail.SendResult;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.common.Errors;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.box.Attachment;
import io.ravenpost.mail.global.distribute.GlobalQueue;
import io.ravenpost.mail.global.online.GlobalOnlineSend;
import io.ravenpost.mail.global.store.GlobalConfig;
import io.ravenpost.mail.global.store.GlobalMail;
import io.ravenpost.mail.global.target.GlobalFanout;
import io.ravenpost.mail.global.target.GlobalSegment;
import io.ravenpost.mail.send.Idempotency;
import io.ravenpost.mail.send.SendRequest;
import io.ravenpost.mail.send.TargetHandler;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Targets {@code all}, {@code all_to_date}, {@code segment} (the mail-server design's All / AllToDate and its
 * level-band extension) and {@code online}: one global mail row, answered {@code {globalMailId}}.
 * The lazy types cost the same whatever the number of players; online players are then queued in
 * the background so they get it at once. {@code online} stores a copy for each player online now
 * and pushes it (O(online)), before answering ({@link GlobalOnlineSend}). Producers' idempotency keys work as for
 * {@code users}: the key's row is written in the creating transaction.
 */
public final class GlobalDelivery implements TargetHandler {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalDelivery.class);

  private final Stores stores;
  private final GlobalConfig cfg;
  private final GlobalStore store;
  private final Idempotency idempotency;
  private final GlobalOnlineSend online;
  private final GlobalQueue queue;
  private final OnlineState registry;
  /** Background walks over the registry: 0 none, 1 running, 2 running and another one wanted. */
  private final AtomicInteger walks = new AtomicInteger();

  public GlobalDelivery(Stores stores, GlobalConfig cfg, GlobalStore store, Idempotency idempotency,
                 GlobalOnlineSend online, GlobalQueue queue, OnlineState registry) {
    this.stores = stores;
    this.cfg = cfg;
    this.store = store;
    this.idempotency = idempotency;
    this.online = online;
    this.queue = queue;
    this.registry = registry;
  }

  @Override
  public Future<SendResult> send(SendRequest req, String key) {
    GlobalMail draft = draft(req);
    AuditContext who = req.audit();
    if (key == null) {
      return createAndDeliver(draft, null, req.requestHash(), who);
    }
    return idempotency.once(key, req.requestHash(), done -> !done.isEmpty(),
        done -> (done.isEmpty() ? createAndDeliver(draft, key, req.requestHash(), who)
            : replay(done.values().iterator().next(), who))
            // Two sends with one key that both missed the lease: the key's primary key let one commit.
            .recover(t -> Errors.isDuplicateKey(t)
                ? idempotency.read(stores.db().primary(), key, req.requestHash()).compose(r -> replay(r, who))
                : Future.failedFuture(t)));
  }

  @Override
  public void check(SendRequest req) {
    draft(req);
  }

  private static GlobalMail draft(SendRequest req) {
    long now = System.currentTimeMillis();
    String type = req.target().type();
    GlobalSegment segment = GlobalMail.SEGMENT.equals(type) ? GlobalSegment.parse(req.target().raw()) : null;
    String attachments = req.hasAttachments() ? Attachment.toJson(req.attachments()).encode() : null;
    return new GlobalMail(0, type, segment, req.from(), req.title(), req.body(), attachments, req.createdAt(now),
        req.expiresAt(now), now, req.textId());
  }

  /** The first result of this key: {@code {globalMailId}}; no transaction ran, so the audit row is one of its own. */
  private Future<SendResult> replay(JsonObject first, AuditContext who) {
    if (first == null || !(first.getValue("globalMailId") instanceof Number id)) {
      return Future.failedFuture(ErrorCode.INTERNAL.error("idempotency key has no global mail result"));
    }
    SendResult result = SendResult.global(id.longValue());
    return who == null ? Future.succeededFuture(result)
        : new AuditLog(stores.db()).recordAlone(who, AuditContext.SEND_GLOBAL, "global mail " + id, "replayed")
            .map(v -> result);
  }

  private Future<SendResult> createAndDeliver(GlobalMail draft, String key, String hash, AuditContext who) {
    return store.create(draft, key, hash, who).compose(m -> {
      if (!m.lazy()) {
        // Answered once stored: a walk over every online player can outlast the caller's timeout,
        // and a retry of a send that was not answered would send it twice. The walk goes on here
        // (the global-resume job finishes it if this node dies); operators follow it in the list.
        online.deliver(m);
        return Future.succeededFuture(SendResult.global(m.id()));
      }
      if (m.startsAt() <= System.currentTimeMillis()) {
        queueOnline();
      }
      return Future.succeededFuture(SendResult.global(m.id()));
    });
  }

  /**
   * Background: online players are queued, so workers bring new mail to them now rather than at
   * their next login. Creates that come while a walk runs share one more walk after it.
   */
  private void queueOnline() {
    if (walks.getAndUpdate(n -> Math.min(2, n + 1)) == 0) {
      walkOnline();
    }
  }

  private void walkOnline() {
    new GlobalFanout(registry, GlobalFanout.GENTLE).forEachOnline(cfg.onlineBatch(), uids -> queue.enqueue(uids)
            .map(n -> true))
        .onSuccess(n -> LOG.info("{} online players queued for global mail distribution", n))
        .onFailure(t -> LOG.warn("online players not queued for global mail ({}); they get it at their next "
            + "login or read", t.toString()))
        .onComplete(ar -> {
          if (walks.decrementAndGet() > 0) {
            walkOnline();
          }
        });
  }
}
