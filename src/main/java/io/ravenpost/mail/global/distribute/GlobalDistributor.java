package io.ravenpost.mail.global.distribute;

import io.ravenpost.api.feed.FeedEntry;
import io.ravenpost.common.Errors;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.box.Mail;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.global.store.GlobalCache;
import io.ravenpost.mail.global.store.GlobalConfig;
import io.ravenpost.mail.global.store.GlobalMail;
import io.ravenpost.mail.global.store.GlobalMetrics;
import io.ravenpost.mail.global.store.GlobalSql;
import io.ravenpost.mail.global.target.GlobalPlayer;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Copies global mail into mailboxes (the global-mail design's distribution). For a batch of players of one shard:
 * read their cursors (largest global id already considered), take the ids after the smallest
 * from the ZSET in batches, the bodies from Redis (MySQL on a miss), apply the target rules, and in
 * one transaction lock the cursors, re-check in MySQL that the mails are not retracted (a shared
 * lock held to the end: the guard), insert the copies (unique per uid and global id, so a repeat
 * inserts nothing) and advance the cursors. Online players are then told ({@code mail.new}).
 *
 * <p>Workers, logins and reads may distribute to the same player at once: the cursor row lock
 * serializes them and the unique key makes a second copy impossible.
 */
public final class GlobalDistributor {
  private static final int ROWS_PER_INSERT = 1000;

  /**
   * The copies one round stored, and the mailboxes whose unread counts must be recounted rather
   * than moved by these copies (the capacity rule took mail from them, or a tolerant insert read
   * back copies counted before).
   */
  private record Stored(List<Mail> copies, Set<Long> recount, List<FeedEntry> feed) {
    static final Stored NONE = new Stored(List.of(), Set.of(), List.of());
  }

  private final Stores stores;
  private final GlobalConfig cfg;
  private final GlobalCache cache;
  private final MailNotifier notifier;
  private final CopyRules rules;
  private final GlobalMetrics metrics;
  private final GuardedTx guarded;

  public GlobalDistributor(Stores stores, GlobalConfig cfg, GlobalCache cache, MailNotifier notifier, CopyRules rules,
                    GlobalMetrics metrics) {
    this.stores = stores;
    this.cfg = cfg;
    this.cache = cache;
    this.notifier = notifier;
    this.rules = rules;
    this.metrics = metrics;
    this.guarded = new GuardedTx(stores.db());
  }

  /** Transactions on a player's shard under the guard of the global mail they copy. */
  public GuardedTx guarded() {
    return guarded;
  }

  /** Brings every uid up to date (one transaction per shard and round); answers the copies inserted. */
  public Future<Integer> distribute(Collection<Long> uids) {
    Map<Integer, TreeSet<Long>> byShard = new TreeMap<>();
    for (Long u : uids) {
      byShard.computeIfAbsent(stores.db().shardOf(u), k -> new TreeSet<>()).add(u);
    }
    List<Future<Integer>> parts = new ArrayList<>();
    byShard.values().forEach(part -> {
      List<Long> sorted = new ArrayList<>(part);
      Pool pool = stores.db().forUid(sorted.get(0));
      parts.add(GlobalRows.cursors(pool, sorted).compose(c -> round(pool, sorted, c)));
    });
    return Future.all(parts).map(cf -> {
      metrics.served(uids.size());
      int n = 0;
      for (int i = 0; i < cf.size(); i++) {
        n += cf.<Integer>resultAt(i);
      }
      return n;
    });
  }

  /**
   * One round: the next batch of ids after the smallest cursor; goes on while batches come back
   * full. The cursor will pass {@code top}, so every id up to it must be confirmed in MySQL, not
   * only the ZSET's: an id the ZSET lost (a failover that dropped one ZADD) comes from MySQL, and
   * one the ZSET has before its create committed is waited for by the guard.
   */
  private Future<Integer> round(Pool pool, List<Long> uids, Map<Long, Long> cursors) {
    long from = uids.stream().mapToLong(u -> cursors.getOrDefault(u, 0L)).min().orElse(0);
    return cache.idsAfter(from, cfg.fetchBatch()).compose(ids -> {
      if (ids.isEmpty()) {
        // Nothing after the smallest cursor: every one of these players is up to date.
        Map<Long, Long> upTo = new HashMap<>();
        uids.forEach(u -> upTo.put(u, Math.max(from, cursors.getOrDefault(u, 0L))));
        cache.markSeen(upTo);
        return Future.succeededFuture(0);
      }
      long top = ids.get(ids.size() - 1);
      List<Long> behind = uids.stream().filter(u -> cursors.getOrDefault(u, 0L) < top).toList();
      return GlobalRows.committedIds(stores.db().primary(), from, top)
          .map(committed -> {
            TreeSet<Long> all = new TreeSet<>(ids);
            all.addAll(committed);
            return new ArrayList<>(all);
          })
          .compose(candidates -> cache.bodies(candidates)
              .compose(bodies -> GlobalRows.players(pool, behind, bodies.values())
                  .compose(players -> apply(pool, behind, candidates, bodies, players))))
          .compose(n -> {
            if (ids.size() < cfg.fetchBatch()) {
              Map<Long, Long> upTo = new HashMap<>();
              uids.forEach(u -> upTo.put(u, Math.max(top, cursors.getOrDefault(u, 0L))));
              cache.markSeen(upTo);
              return Future.succeededFuture(n);
            }
            Map<Long, Long> next = new HashMap<>(cursors);
            behind.forEach(u -> next.merge(u, top, Math::max));
            return round(pool, uids, next).map(m -> n + m);
          });
    });
  }

  /** The transaction of one round: lock cursors, plan, guard, insert, advance. */
  private Future<Integer> apply(Pool pool, List<Long> uids, List<Long> ids, Map<Long, GlobalMail> bodies,
                                Map<Long, GlobalPlayer> players) {
    long start = System.nanoTime();
    long top = ids.get(ids.size() - 1);
    return notifier.writing(uids).compose(marked -> round(pool, uids, ids, bodies, players, top)
        .transform(ar -> {
          if (ar.failed()) {
            return notifier.abandoned(uids).transform(v -> Future.<Integer>failedFuture(ar.cause()));
          }
          Stored done = marked ? ar.result() : new Stored(ar.result().copies(), Set.copyOf(uids), ar.result().feed());
          Set<Long> none = new HashSet<>(uids);
          done.copies().forEach(c -> none.remove(c.uid()));
          metrics.distributed(done.copies().size(), start);
          return Future.join(notify(done), notifier.abandoned(none)).map(v -> done.copies().size());
        }));
  }

  private Future<Stored> round(Pool pool, List<Long> uids, List<Long> ids, Map<Long, GlobalMail> bodies,
                               Map<Long, GlobalPlayer> players, long top) {
    return guarded.run(pool, (conn, guard) -> GlobalRows.lockCursors(conn, uids).compose(locked -> {
      long now = System.currentTimeMillis();
      long low = uids.stream().mapToLong(u -> locked.getOrDefault(u, 0L)).min().orElse(0);
      List<Long> wanted = ids.stream().filter(id -> id > low).toList();
      Future<Stored> stored = wanted.isEmpty() ? Future.succeededFuture(Stored.NONE)
          : guard.live(wanted).compose(live -> complete(conn, guard, live, bodies, uids, players))
              .compose(found -> store(conn, plan(uids, locked, found.bodies(), found.players(), now), now));
      return stored.compose(done -> GlobalRows.advance(conn, uids, locked, top, now).map(v -> done));
    }));
  }

  /** The live mails of a round and the players they need, all read by the time the cursor may move. */
  private record Found(Map<Long, GlobalMail> bodies, Map<Long, GlobalPlayer> players) {
  }

  /**
   * Keeps the live bodies, and reads under the guard's locks the bodies no cache read could see
   * (their create committed while this round waited), with the players' rows if they need them.
   */
  private static Future<Found> complete(SqlConnection conn, GuardedTx.Guard guard, Set<Long> live, Map<Long, GlobalMail> bodies,
                                        List<Long> uids, Map<Long, GlobalPlayer> players) {
    Map<Long, GlobalMail> out = new TreeMap<>();
    live.stream().filter(bodies::containsKey).forEach(id -> out.put(id, bodies.get(id)));
    List<Long> late = live.stream().filter(id -> !bodies.containsKey(id)).toList();
    if (late.isEmpty()) {
      return Future.succeededFuture(new Found(out, players));
    }
    return guard.bodies(late).compose(more -> {
      out.putAll(more);
      boolean needPlayers = players.isEmpty() && more.values().stream().anyMatch(GlobalMail::needsPlayer);
      return needPlayers ? GlobalRows.players(conn, uids, more.values()).map(p -> new Found(out, p))
          : Future.succeededFuture(new Found(out, players));
    });
  }

  /** Each player's copies: the live mails after their cursor whose target rules they meet. */
  private static Map<Long, List<GlobalMail>> plan(List<Long> uids, Map<Long, Long> locked, Map<Long, GlobalMail> live,
                                                  Map<Long, GlobalPlayer> players, long now) {
    Map<Long, List<GlobalMail>> plan = new LinkedHashMap<>();
    for (Long u : uids) {
      long cursor = locked.getOrDefault(u, 0L);
      for (GlobalMail m : live.values()) {
        if (m.id() > cursor && m.eligible(players.get(u), now)) {
          plan.computeIfAbsent(u, k -> new ArrayList<>()).add(m);
        }
      }
    }
    return plan;
  }

  /** Inserts the planned copies, reads back their ids, applies the mailbox capacity. */
  private Future<Stored> store(SqlConnection conn, Map<Long, List<GlobalMail>> plan, long now) {
    if (plan.isEmpty()) {
      return Future.succeededFuture(Stored.NONE);
    }
    List<Object[]> rows = new ArrayList<>();
    plan.forEach((uid, mails) -> mails.forEach(m -> rows.add(new Object[] {uid, GlobalMail.KIND, m.from(),
        m.title(), m.body(), m.attachments(), m.id(), m.startsAt(), m.expiresAt(), m.textId()})));
    Future<Void> chain = Future.succeededFuture();
    AtomicBoolean tolerant = new AtomicBoolean();
    // Copies a tolerant insert found already there: neither new to the feed nor to the counts.
    Set<String> already = new HashSet<>();
    for (int i = 0; i < rows.size(); i += ROWS_PER_INSERT) {
      List<Object[]> part = rows.subList(i, Math.min(rows.size(), i + ROWS_PER_INSERT));
      List<Object> args = new ArrayList<>();
      part.forEach(r -> args.addAll(Arrays.asList(r)));
      // The cursor lock makes an existing copy all but impossible; should one be there, InnoDB
      // undid only the failed statement, and the tolerant form inserts the rest.
      chain = chain.compose(v -> conn.preparedQuery(GlobalSql.insertCopies(part.size())).execute(Tuple.from(args))
          .recover(t -> {
            if (!Errors.isDuplicateKey(t)) {
              return Future.failedFuture(t);
            }
            tolerant.set(true);
            return conn.preparedQuery(GlobalSql.insertMissingCopies(part.size())).execute(Tuple.from(args))
                .map(inserted -> {
                  part.forEach(r -> already.add(r[0] + "/" + r[6]));
                  inserted.forEach(r -> already.remove(r.getLong("uid") + "/" + r.getLong("global_id")));
                  return inserted;
                });
          })
          .mapEmpty());
    }
    // Copies read back after a tolerant insert include some that were there and counted already:
    // those mailboxes are recounted rather than moved by what was read back.
    return chain.compose(v -> GlobalRows.copies(conn, plan, already))
        .compose(copies -> rules.apply(conn, copies, now).map(settled -> new Stored(copies,
            tolerant.get() ? plan.keySet() : settled.recount(), settled.feed())));
  }

  /** The rules every transaction that writes copies applies after inserting them. */
  public CopyRules rules() {
    return rules;
  }

  /**
   * Tells the players (the global-mail design: the new-mail marker is for online players): every copy moves the
   * cached unread counts by what it added, without a recount (one after an eviction), and online
   * players are pushed their newest copies, at most {@code pushesPerPlayer} each; whether they are
   * online is the notifier's registry lookup. Completes when every push and marker was tried, so a
   * reader that distributed first lists after the marker was set.
   */
  private Future<Void> notify(Stored done) {
    if (done.copies().isEmpty()) {
      return Future.succeededFuture();
    }
    Map<Long, List<Mail>> byUid = new HashMap<>();
    done.copies().forEach(c -> byUid.computeIfAbsent(c.uid(), k -> new ArrayList<>()).add(c));
    Set<Long> pushed = new HashSet<>();
    byUid.values().forEach(l -> l.stream().sorted(Comparator.comparingLong(Mail::id).reversed())
        .limit(cfg.pushesPerPlayer()).forEach(m -> pushed.add(m.id())));
    return notifier.stored(done.copies(), done.feed(), done.recount(), m -> pushed.contains(m.id()));
  }
}
