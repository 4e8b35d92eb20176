package io.ravenpost.mail.box;

import io.ravenpost.api.Addresses;
import io.ravenpost.api.Frames;
import io.ravenpost.api.UnreadChanged;
import io.ravenpost.common.NodeContext;
import io.ravenpost.common.config.MailConfig;
import io.ravenpost.online.MessageRouter;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Collection;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the world about mail that is already committed (Nakama's rule: save first, then send):
 * {@code mail.new} pushes to the session that owns the recipient's registry entry, on that
 * session's node; the Redis new-mail marker for heartbeats (seed 000); and
 * {@code raven.mail.unread.changed}. All best effort: MySQL holds the truth, a lost hint only
 * delays the news until the next list or heartbeat.
 */
public final class MailNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(MailNotifier.class);

  private final NodeContext ctx;
  private final MailConfig cfg;
  private final MailKeys keys;
  private final Mailbox mailbox;
  private final OnlineState registry;
  private final MessageRouter router;
  private final MailMetrics metrics;
  private final UnreadCache unread;

  public MailNotifier(NodeContext ctx, MailConfig cfg, MailKeys keys, Mailbox mailbox, MailMetrics metrics,
                      OnlineState registry, MessageRouter router, UnreadCache unread) {
    this.unread = unread;
    this.ctx = ctx;
    this.cfg = cfg;
    this.keys = keys;
    this.mailbox = mailbox;
    this.registry = registry;
    this.router = router;
    this.metrics = metrics;
  }

  /** New mail (one per recipient) was committed: count, mark, push, announce. Completes when all were tried. */
  public Future<Void> stored(List<Mail> mails) {
    return stored(mails, true);
  }

  /** The same; without {@code push} for copies whose players were told before they were written. */
  public Future<Void> stored(List<Mail> mails, boolean push) {
    if (mails.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Long> uids = mails.stream().map(Mail::uid).distinct().toList();
    return unread.changed(uids).compose(v -> mailbox.unread(uids)).compose(counts -> {
      long now = System.currentTimeMillis();
      List<Future<Void>> each = mails.stream().map(m -> {
        long unread = counts.getOrDefault(m.uid(), 0L);
        announce(m.uid(), unread);
        // Mail with a later startsAt is not shown yet: nothing to tell the player now.
        return m.createdAt() > now ? Future.<Void>succeededFuture()
            : Future.join(mark(m), push ? push(m, unread) : Future.<Void>succeededFuture()).<Void>mapEmpty();
      }).toList();
      return Future.join(each).<Void>mapEmpty();
    }).recover(t -> {
      LOG.warn("new-mail notification failed for {} mails: {}", mails.size(), t.toString());
      return Future.succeededFuture();
    });
  }

  /** The unread count of {@code uid} may have changed: read it after the commit and announce it. */
  public void unreadChanged(long uid) {
    unread.changed(List.of(uid)).compose(v -> unread.unread(uid)).onSuccess(n -> announce(uid, n))
        .onFailure(t -> LOG.warn("unread recount failed uid={}: {}", uid, t.getMessage()));
  }

  public void unreadChanged(Collection<Long> uids) {
    if (uids.isEmpty()) {
      return;
    }
    unread.changed(uids).compose(v -> mailbox.unread(List.copyOf(uids))).onSuccess(counts -> counts.forEach(this::announce))
        .onFailure(t -> LOG.warn("unread recount failed for {} uids: {}", uids.size(), t.getMessage()));
  }

  /** Clears the marker if MySQL's newest id for the uid (read by the caller) is at least the marker. */
  public Future<Void> fetched(long uid, long newestId) {
    return ctx.redis().eval(List.of(MailKeys.CLEAR_NEW, "1", keys.newMail(uid), Long.toString(newestId)))
        .<Void>mapEmpty()
        .recover(t -> {
          LOG.debug("new-mail marker not cleared uid={}: {}", uid, t.getMessage());
          return Future.succeededFuture();
        });
  }

  public Future<Boolean> hasNewMail(long uid) {
    return ctx.redis().exists(List.of(keys.newMail(uid))).map(r -> r.toInteger() == 1);
  }

  private void announce(long uid, long unread) {
    ctx.vertx().eventBus().publish(Addresses.MAIL_UNREAD_CHANGED,
        new UnreadChanged(uid, unread, System.currentTimeMillis()).toJson());
  }

  private Future<Void> mark(Mail m) {
    return ctx.redis().eval(List.of(MailKeys.MARK_NEW, "1", keys.newMail(m.uid()), Long.toString(m.id()),
            Integer.toString(cfg.markerSeconds())))
        .<Void>mapEmpty()
        .onFailure(t -> LOG.debug("new-mail marker not set uid={} mailId={}: {}", m.uid(), m.id(), t.getMessage()));
  }

  /** Pushes to the session that owns the uid's registry entry, whichever node it is on. */
  private Future<Void> push(Mail m, long unread) {
    return registry.live(m.uid()).map(entry -> {
      if (entry != null) {
        JsonObject frame = Frames.mailNew(m.summary(), unread);
        router.push(entry, frame);
        metrics.pushed();
        LOG.debug("push mail.new uid={} mailId={} node={}", m.uid(), m.id(), entry.node());
      }
      return null;
    });
  }
}
