package io.ravenpost.mail.box;

import io.ravenpost.api.feed.ChangeType;
import io.ravenpost.api.Frames;
import io.ravenpost.api.feed.FeedEntry;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

  /**
   * New mail (one per recipient) was committed with its feed entries: recount, mark, push (each
   * new mail with its {@code seq}, other entries as {@code mail.changed}), announce. Completes when
   * all were tried.
   */
  public Future<Void> stored(List<Mail> mails, List<FeedEntry> feed) {
    return stored(mails, feed, true);
  }

  /** The same; without {@code push} for copies whose players were told before they were written. */
  public Future<Void> stored(List<Mail> mails, List<FeedEntry> feed, boolean push) {
    if (mails.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Long> uids = mails.stream().map(Mail::uid).distinct().toList();
    return tell(mails, feed, unread.changed(uids).compose(v -> mailbox.unread(uids)), m -> push);
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
  public Future<Void> stored(List<Mail> mails, List<FeedEntry> feed, Set<Long> recount) {
    return stored(mails, feed, recount, m -> true);
  }

  /**
   * The same, pushing only the mails {@code push} accepts (a distribution pushes each player its
   * newest few copies) while every mail counts.
   */
  public Future<Void> stored(List<Mail> mails, List<FeedEntry> feed, Set<Long> recount, Predicate<Mail> push) {
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
    return tell(mails, feed, counts, push);
  }

  /**
   * Per player, not per mail: a distribution hands one player dozens of copies at once, and one
   * announce, one marker (it keeps the largest id anyway) and one registry lookup for all the
   * players of a batch tell the same as one of each per copy did. The marker and the registry
   * lookup need no count, so they go out beside the count's read rather than after it.
   */
  private Future<Void> tell(List<Mail> mails, List<FeedEntry> feed, Future<Map<Long, Long>> unreadCounts,
                           Predicate<Mail> push) {
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
    List<FeedEntry> others = feed.stream().filter(e -> e.type() != ChangeType.NEW).toList();
    Set<Long> told = new HashSet<>(pushed.keySet());
    others.forEach(e -> told.add(e.uid()));
    Future<Map<Long, Entry>> live = told.isEmpty() ? Future.succeededFuture(Map.of()) : registry.liveEntries(told);
    each.add(unreadCounts.compose(counts -> {
      mails.stream().map(Mail::uid).distinct().forEach(uid -> announce(uid, counts.getOrDefault(uid, 0L)));
      return live.compose(entries -> inTheirLanguage(pushed, entries).map(localized -> {
        push(localized, seqsOfNew(feed), others, null, entries, counts);
        return null;
      }));
    }));
    return Future.join(each).<Void>mapEmpty().recover(t -> {
      LOG.warn("new-mail notification failed for {} mails: {}", mails.size(), t.toString());
      return Future.succeededFuture();
    });
  }

  /**
   * Changes other than new mail were committed: recount the players' unread counts, announce them,
   * and push each change as {@code mail.changed} to its player's session unless that session
   * ({@code cause}, null for none) asked for it. Best effort, like every notification.
   */
  public void changed(List<FeedEntry> feed, String cause) {
    if (feed.isEmpty()) {
      return;
    }
    List<Long> uids = feed.stream().map(FeedEntry::uid).distinct().toList();
    Future<Map<Long, Entry>> live = registry.liveEntries(uids);
    unread.changed(uids).compose(v -> mailbox.unread(uids))
        .compose(counts -> {
          counts.forEach(this::announce);
          return live.map(entries -> {
            push(Map.of(), Map.of(), feed, cause, entries, counts);
            return null;
          });
        })
        .onFailure(t -> LOG.warn("change notification failed for {} uids: {}", uids.size(), t.getMessage()));
  }

  /** The mail pushed to each online player, in that player's language. */
  private Future<Map<Long, List<Mail>>> inTheirLanguage(Map<Long, List<Mail>> pushed, Map<Long, Entry> live) {
    Map<Long, List<Mail>> out = new HashMap<>();
    List<Future<Void>> each = new ArrayList<>();
    pushed.forEach((uid, l) -> {
      if (live.containsKey(uid)) {
        each.add(mailbox.localize().apply(uid, l).map(shown -> {
          synchronized (out) {
            out.put(uid, shown);
          }
          return null;
        }));
      }
    });
    return Future.all(each).map(out);
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

  /** The {@code seq} of each new mail's entry, by uid and mail id. */
  private static Map<Long, Map<Long, Long>> seqsOfNew(List<FeedEntry> feed) {
    Map<Long, Map<Long, Long>> seqs = new HashMap<>();
    feed.stream().filter(e -> e.type() == ChangeType.NEW)
        .forEach(e -> seqs.computeIfAbsent(e.uid(), k -> new HashMap<>()).put(e.mailId(), e.seq()));
    return seqs;
  }

  /**
   * Pushes to the session that owns each player's registry entry, whichever node it is on: each
   * new mail ({@code mail.new} with its seq, if it has one) and each other change
   * ({@code mail.changed}) not caused by session {@code cause}, in feed order per player.
   */
  private void push(Map<Long, List<Mail>> byUid, Map<Long, Map<Long, Long>> seqs, List<FeedEntry> changes,
                    String cause, Map<Long, Entry> live, Map<Long, Long> counts) {
    Map<Entry, TreeMap<Long, JsonObject>> frames = new HashMap<>();
    live.forEach((uid, entry) -> {
      long unread = counts.getOrDefault(uid, 0L);
      TreeMap<Long, JsonObject> mine = new TreeMap<>();
      long unnumbered = Long.MIN_VALUE;
      for (Mail m : byUid.getOrDefault(uid, List.of())) {
        Long seq = seqs.getOrDefault(uid, Map.of()).get(m.id());
        mine.put(seq == null ? unnumbered++ : seq, Frames.mailNew(m.summary(), unread, seq));
        metrics.pushed();
        LOG.debug("push mail.new uid={} mailId={} seq={} node={}", uid, m.id(), seq, entry.node());
      }
      if (!entry.sessionId().equals(cause)) {
        changes.stream().filter(e -> e.uid() == uid)
            .forEach(e -> {
              mine.put(e.seq(), Frames.mailChanged(e.toJson(null), unread));
              metrics.changePushed();
            });
      }
      if (!mine.isEmpty()) {
        frames.put(entry, mine);
      }
    });
    Map<Entry, List<JsonObject>> ordered = new HashMap<>();
    frames.forEach((entry, mine) -> ordered.put(entry, new ArrayList<>(mine.values())));
    router.pushAll(ordered);
  }
}
