package io.ravenpost.mail.box;

import io.micrometer.core.instrument.Counter;
import io.ravenpost.api.mail.HeartbeatReply;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each player's unread count, cached in Redis so that heartbeats, {@code mail.unread} and watch
 * re-polls touch no MySQL (the global-mail design: a heartbeat costs one Redis read). One hash per player:
 * {@code v} is bumped after every commit that may change the count, {@code c} and {@code cv} hold a
 * count and the version it was read at, {@code until} when it goes stale by itself (a mail whose
 * {@code startsAt} or expiry comes). A count read before a commit is never served after it: the
 * bump that follows the commit either makes the compare-and-set fail or invalidates what it set; a
 * write that adds to the count instead of bumping it is marked before its commit ({@link #writing}),
 * and no count is cached while such a write is under way, so an add never counts a mail twice.
 * MySQL stays the truth: a miss, a stale count or an unreachable Redis reads MySQL.
 */
public final class UnreadCache {
  private static final Logger LOG = LoggerFactory.getLogger(UnreadCache.class);
  /** A count is recomputed at least this often, whatever happens (a lost bump heals by then). */
  private static final long TTL_MS = 600_000;
  /**
   * How long a mark of a write under way lasts should its writer die before settling it: longer
   * than any transaction that stores mail, short enough that a crashed writer leaves the player's
   * count uncached (read from MySQL) for two minutes at most.
   */
  private static final long WRITING_MS = 120_000;

  private final NodeInfo node;
  private final Stores stores;
  private final MailKeys keys;
  private final Mailbox mailbox;
  private final Counter hits;
  private final Counter misses;

  public UnreadCache(NodeInfo node, Stores stores, MailKeys keys, Mailbox mailbox) {
    this.node = node;
    this.stores = stores;
    this.keys = keys;
    this.mailbox = mailbox;
    this.hits = Counter.builder("raven_mail_unread_cache_total").tag("result", "hit").register(node.metrics());
    this.misses = Counter.builder("raven_mail_unread_cache_total").tag("result", "miss").register(node.metrics());
  }

  /** The unread count: from Redis when current, else from MySQL (and cached). */
  public Future<Long> unread(long uid) {
    return stores.redisClient().send(countRead(uid)).transform(ar -> counted(uid, ar.succeeded() ? ar.result() : null));
  }

  /**
   * A heartbeat's reads: the unread count and whether the new-mail marker is set, pipelined in one
   * round trip (a heartbeat's whole Redis cost). An unreachable Redis reads the count from MySQL and
   * says no new mail, as a lost marker would.
   */
  public Future<HeartbeatReply> heartbeat(long uid) {
    return stores.redisBatch(List.of(countRead(uid), Request.cmd(Command.EXISTS).arg(keys.newMail(uid))))
        .transform(ar -> {
          Response count = ar.succeeded() ? ar.result().get(0) : null;
          boolean marked = ar.succeeded() && ar.result().get(1) != null && ar.result().get(1).toInteger() == 1;
          return counted(uid, count).map(n -> new HeartbeatReply(n, marked));
        });
  }

  /** The read {@link #counted} judges, for a caller that pipelines it with its own. */
  public Request countRead(long uid) {
    return Request.cmd(Command.HMGET).arg(keys.unread(uid)).arg("v").arg("c").arg("cv").arg("until");
  }

  /** The cached count in {@code r} (the reply to {@link #countRead}) when current, else MySQL's, cached for the next read. */
  public Future<Long> counted(long uid, Response r) {
    Long cached = current(r);
    if (cached != null) {
      hits.increment();
      return Future.succeededFuture(cached);
    }
    misses.increment();
    String version = r != null && r.get(0) != null ? r.get(0).toString() : "0";
    return mailbox.unreadState(uid).compose(state -> remember(uid, version, state).map(v -> state.unread()));
  }

  private static Long current(Response r) {
    if (r == null || r.get(1) == null || r.get(2) == null || r.get(3) == null) {
      return null;
    }
    String version = r.get(0) == null ? "0" : r.get(0).toString();
    boolean fresh = version.equals(r.get(2).toString()) && System.currentTimeMillis() < r.get(3).toLong();
    return fresh ? r.get(1).toLong() : null;
  }

  private Future<Void> remember(long uid, String version, Mailbox.UnreadState state) {
    return stores.redis().eval(List.of(MailKeys.SET_UNREAD, "2", keys.unread(uid), keys.writing(uid), version,
            Long.toString(state.unread()), Long.toString(state.until()), Long.toString(TTL_MS)))
        .<Void>mapEmpty()
        .recover(t -> {
          LOG.debug("unread count not cached ({}); the next read asks MySQL again", t.getMessage());
          return Future.succeededFuture();
        });
  }

  /** Called after a commit that may have changed these players' counts, before they are read again. */
  public Future<Void> changed(Collection<Long> uids) {
    if (uids.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Request> bumps = uids.stream().map(uid -> Request.cmd(Command.EVAL).arg(MailKeys.BUMP_UNREAD).arg(1)
        .arg(keys.unread(uid)).arg(TTL_MS)).toList();
    return stores.redisBatch(bumps).<Void>mapEmpty().recover(t -> {
      // Cached counts of these players may be stale for up to the TTL: say so, the data is safe.
      LOG.warn("unread counts of {} players not invalidated ({}); they may show stale counts for up to {} s",
          uids.size(), t.getMessage(), TTL_MS / 1000);
      return Future.succeededFuture();
    });
  }

  /**
   * Before a transaction that will store mail in these mailboxes (and then call {@link #added}):
   * marks the writes under way, so that no count read meanwhile is cached, since it might already
   * hold the mail this write is about to add. Answers false when they could not be marked; the
   * caller then recounts those mailboxes instead of adding to them.
   */
  public Future<Boolean> writing(Collection<Long> uids) {
    if (uids.isEmpty()) {
      return Future.succeededFuture(true);
    }
    List<Request> marks = uids.stream().map(uid -> Request.cmd(Command.EVAL).arg(MailKeys.MARK_WRITING).arg(1)
        .arg(keys.writing(uid)).arg(WRITING_MS)).toList();
    return stores.redisBatch(marks).map(true).recover(t -> {
      LOG.debug("writes to {} mailboxes not marked ({}); their counts are recounted after", uids.size(),
          t.getMessage());
      return Future.succeededFuture(false);
    });
  }

  /** Marked writes that will not call {@link #added} (they failed, or stored nothing there). */
  public Future<Void> abandoned(Collection<Long> uids) {
    if (uids.isEmpty()) {
      return Future.succeededFuture();
    }
    return stores.redisBatch(uids.stream().map(this::settle).toList()).<Void>mapEmpty().recover(t -> {
      LOG.warn("unread counts of {} players not invalidated ({}); they may show stale counts for up to {} s",
          uids.size(), t.getMessage(), TTL_MS / 1000);
      return Future.succeededFuture();
    });
  }

  private Request settle(long uid) {
    return Request.cmd(Command.EVAL).arg(MailKeys.SETTLE_UNREAD).arg(2).arg(keys.unread(uid))
        .arg(keys.writing(uid)).arg(TTL_MS);
  }

  /** What one commit added to a player's mailbox: mails visible now, and when the next one changes the count. */
  public record Added(long visible, long staleAt) {
  }

  /**
   * After a commit that stored mail, marked by {@link #writing} before it: keeps current counts
   * current by adding, and invalidates the rest and those in {@code recount} (mailboxes that also
   * lost mail). Answers the counts it knows; the caller reads the others from MySQL.
   */
  public Future<Map<Long, Long>> added(Map<Long, Added> added, Set<Long> recount) {
    List<Long> uids = List.copyOf(added.keySet());
    long now = System.currentTimeMillis();
    List<Request> writes = uids.stream().map(uid -> recount.contains(uid) ? settle(uid)
        : Request.cmd(Command.EVAL).arg(MailKeys.ADD_UNREAD).arg(2).arg(keys.unread(uid)).arg(keys.writing(uid))
            .arg(added.get(uid).visible()).arg(added.get(uid).staleAt()).arg(now).arg(TTL_MS)).toList();
    return stores.redisBatch(writes).map(replies -> {
      Map<Long, Long> known = new HashMap<>();
      for (int i = 0; i < uids.size(); i++) {
        long n = replies.get(i).toLong();
        if (n >= 0 && !recount.contains(uids.get(i))) {
          known.put(uids.get(i), n);
        }
      }
      hits.increment(known.size());
      return known;
    }).recover(t -> {
      LOG.warn("unread counts of {} players not invalidated ({}); they may show stale counts for up to {} s",
          uids.size(), t.getMessage(), TTL_MS / 1000);
      return Future.succeededFuture(Map.of());
    });
  }
}
