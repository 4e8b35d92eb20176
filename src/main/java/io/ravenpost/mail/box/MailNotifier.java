package io.ravenpost.mail.box;

import io.ravenpost.api.Frames;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.api.mail.UnreadChanged;
import io.ravenpost.common.Bus;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.MailConfig;
import io.ravenpost.online.Entry;
import io.ravenpost.online.MessageRouter;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the world about mail that is already committed (Nakama's rule: save first, then send):
 * {@code mail.new} pushes to the session that owns the recipient's registry entry, on that
 * session's node; the Redis new-mail marker for heartbeats (the global-mail design); and
 * {@code raven.mail.unread.changed}. All best effort: MySQL holds the truth, a lost hint only
 * delays the news until the next list or heartbeat.
 */
public final class MailNotifier {
  private static final Logger LOG = LoggerFactory.getLogger(MailNotifier.class);

  private final NodeInfo node;
  private final Stores stores;
  private final MailConfig cfg;
  private final MailKeys keys;
  private final Mailbox mailbox;
  private final OnlineState registry;
  private final MessageRouter router;
  private final MailMetrics metrics;
  private final UnreadCache unread;

  public MailNotifier(NodeInfo node, Stores stores, MailConfig cfg, MailKeys keys, Mailbox mailbox, MailMetrics metrics,
                      OnlineState registry, MessageRouter router, UnreadCache unread) {
    this.unread = unread;
    this.node = node;
    this.stores = stores;
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
    return tell(mails, unread.changed(uids).compose(v -> mailbox.unread(uids)), m -> push);
  }

  /**
   * Before a transaction that will store mail for these players and then call
   * {@link #stored(List, Set)} or {@link #stored(List, Set, Predicate)}: marks the writes under way
   * ({@link UnreadCache#writing}). False when they could not be marked: pass those players as
   * {@code recount} then. Every player marked must be passed to one of those, or to {@link #abandoned}.
   */
  public Future<Boolean> writing(Collection<Long> uids) {
    return unread.writing(uids);
  }

  /** Players marked by {@link #writing} whose write stored nothing for them, or failed. */
  public Future<Void> abandoned(Collection<Long> uids) {
    return unread.abandoned(uids);
  }

  /**
   * Sends' new mail: counts cached in Redis are moved by what was added instead of recounted, so
   * a send to online players reads no MySQL; {@code recount} are mailboxes that also lost mail.
   */
  public Future<Void> stored(List<Mail> mails, Set<Long> recount) {
    return stored(mails, recount, m -> true);
  }

  /**
   * The same, pushing only the mails {@code push} accepts (a distribution pushes each player its
   * newest few copies) while every mail counts.
   */
  public Future<Void> stored(List<Mail> mails, Set<Long> recount, Predicate<Mail> push) {
    if (mails.isEmpty()) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis();
    Map<Long, UnreadCache.Added> added = new HashMap<>();
    for (Mail m : mails) {
      boolean visible = m.createdAt() <= now && !m.expired(now);
      long staleAt = m.createdAt() > now ? m.createdAt() : m.expiresAt();
      added.merge(m.uid(), new UnreadCache.Added(visible ? 1 : 0, staleAt),
          (a, b) -> new UnreadCache.Added(a.visible() + b.visible(), Math.min(a.staleAt(), b.staleAt())));
    }
    Future<Map<Long, Long>> counts = unread.added(added, recount).compose(known -> {
      List<Long> missing = added.keySet().stream().filter(u -> !known.containsKey(u)).toList();
      return missing.isEmpty() ? Future.succeededFuture(known) : mailbox.unread(missing).map(read -> {
        Map<Long, Long> all = new HashMap<>(known);
        all.putAll(read);
        return all;
      });
    });
    return tell(mails, counts, push);
  }

  /**
   * Per player, not per mail: a distribution hands one player dozens of copies at once, and one
   * announce, one marker (it keeps the largest id anyway) and one registry lookup for all the
   * players of a batch tell the same as one of each per copy did. The marker and the registry
   * lookup need no count, so they go out beside the count's read rather than after it.
   */
  private Future<Void> tell(List<Mail> mails, Future<Map<Long, Long>> unreadCounts, Predicate<Mail> push) {
    long now = System.currentTimeMillis();
    Map<Long, List<Mail>> shown = new LinkedHashMap<>();
    // Mail with a later startsAt is not shown yet: nothing to tell the player now.
    mails.stream().filter(m -> m.createdAt() <= now)
        .forEach(m -> shown.computeIfAbsent(m.uid(), k -> new ArrayList<>()).add(m));
    List<Future<Void>> each = new ArrayList<>();
    shown.forEach((uid, l) -> each.add(mark(uid, l.stream().mapToLong(Mail::id).max().orElseThrow())));
    Map<Long, List<Mail>> pushed = new LinkedHashMap<>();
    shown.forEach((uid, l) -> l.stream().filter(push).forEach(m -> pushed.computeIfAbsent(uid, k -> new ArrayList<>())
        .add(m)));
    Future<Map<Long, Entry>> live = pushed.isEmpty() ? Future.succeededFuture(Map.of())
        : registry.liveEntries(pushed.keySet());
    each.add(unreadCounts.compose(counts -> {
      mails.stream().map(Mail::uid).distinct().forEach(uid -> announce(uid, counts.getOrDefault(uid, 0L)));
      return live.map(entries -> {
        push(pushed, entries, counts);
        return null;
      });
    }));
    return Future.join(each).<Void>mapEmpty().recover(t -> {
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
    return stores.redis().eval(List.of(MailKeys.CLEAR_NEW, "1", keys.newMail(uid), Long.toString(newestId)))
        .<Void>mapEmpty()
        .recover(t -> {
          LOG.debug("new-mail marker not cleared uid={}: {}", uid, t.getMessage());
          return Future.succeededFuture();
        });
  }

  public Future<Boolean> hasNewMail(long uid) {
    return stores.redis().exists(List.of(keys.newMail(uid))).map(r -> r.toInteger() == 1);
  }

  private void announce(long uid, long unread) {
    Bus.publish(node.vertx(), MailAddresses.UNREAD_CHANGED, new UnreadChanged(uid, unread, System.currentTimeMillis()));
  }

  private Future<Void> mark(long uid, long mailId) {
    return stores.redis().eval(List.of(MailKeys.MARK_NEW, "1", keys.newMail(uid), Long.toString(mailId),
            Integer.toString(cfg.markerSeconds())))
        .<Void>mapEmpty()
        .onFailure(t -> LOG.debug("new-mail marker not set uid={} mailId={}: {}", uid, mailId, t.getMessage()));
  }

  /** Pushes each mail to the session that owns its player's registry entry, whichever node it is on. */
  private void push(Map<Long, List<Mail>> byUid, Map<Long, Entry> live, Map<Long, Long> counts) {
    Map<Entry, List<JsonObject>> frames = new HashMap<>();
    live.forEach((uid, entry) -> {
      long unread = counts.getOrDefault(uid, 0L);
      for (Mail m : byUid.get(uid)) {
        frames.computeIfAbsent(entry, k -> new ArrayList<>()).add(Frames.mailNew(m.summary(), unread));
        metrics.pushed();
        LOG.debug("push mail.new uid={} mailId={} node={}", uid, m.id(), entry.node());
      }
    });
    router.pushAll(frames);
  }
}
