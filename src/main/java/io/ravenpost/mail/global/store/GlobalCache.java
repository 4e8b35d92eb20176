package io.ravenpost.mail.global.store;

import io.ravenpost.common.Stores;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global-mail design's Redis cache of global mail, read through to MySQL: the id ZSET (with its completeness
 * member) and the msgpack bodies. Every read falls back to MySQL when Redis cannot answer, and a
 * body read from MySQL is written back, so a flushed Redis costs speed, never correctness.
 */
public final class GlobalCache {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalCache.class);
  /** Bodies stay cached a while after the mail expires, so a distribution racing expiry still reads them. */
  static final long BODY_MARGIN_MS = 3_600_000;
  /** A distribution hint outlives a day's play; past it, the next read distributes (and finds nothing). */
  private static final long SEEN_TTL_MS = 86_400_000;

  private final Stores stores;
  private final GlobalKeys keys;
  private final GlobalMetrics metrics;
  private Runnable onIncomplete = () -> { };

  public GlobalCache(Stores stores, GlobalKeys keys, GlobalMetrics metrics) {
    this.stores = stores;
    this.keys = keys;
    this.metrics = metrics;
  }

  /** Called (at most once per read) when the ZSET was found incomplete: someone should rebuild it. */
  public void onIncomplete(Runnable r) {
    this.onIncomplete = r;
  }

  /** Create's cache write: body and id in one round trip. */
  public Future<Void> put(GlobalMail m) {
    return stores.redisClient().send(Request.cmd(Command.EVAL).arg(GlobalKeys.CACHE).arg(2)
        .arg(keys.body(m.id())).arg(keys.ids()).arg(m.toMsgpack()).arg(m.expiresAt() + BODY_MARGIN_MS)
        .arg(m.id())).mapEmpty();
  }

  /**
   * The reads that tell whether one player has every live global mail ({@link #upToDate}): the
   * newest id and the player's distribution hint, for a caller to pipeline with its own reads.
   */
  public List<Request> upToDateReads(long uid) {
    return List.of(Request.cmd(Command.EVAL).arg(GlobalKeys.NEWEST).arg(1).arg(keys.ids()).arg(GlobalKeys.COMPLETE),
        Request.cmd(Command.GET).arg(keys.seen(uid)));
  }

  /**
   * What {@link #upToDateReads} answered, in order: true when the player has every live global
   * mail, or there is none (a complete id ZSET holding no id); false when the ZSET cannot say.
   */
  public static boolean upToDate(Response newest, Response seen) {
    if (newest == null) {
      return false;
    }
    long top = newest.toLong();
    return top == 0 || seen != null && seen.toLong() >= top;
  }

  /** The newest lazily distributed id, or null when the ZSET cannot say (incomplete, unreadable). */
  public Future<Long> newest() {
    return stores.redis().eval(List.of(GlobalKeys.NEWEST, "1", keys.ids(), GlobalKeys.COMPLETE))
        .map(r -> r == null ? null : r.toLong())
        .otherwise((Long) null);
  }

  /** How far these players' distributions are known to be done (uids without a hint are absent). */
  public Future<Map<Long, Long>> seen(List<Long> uids) {
    return stores.redis().mget(uids.stream().map(keys::seen).toList()).map(r -> {
      Map<Long, Long> out = new HashMap<>();
      for (int i = 0; i < uids.size(); i++) {
        if (r.get(i) != null) {
          out.put(uids.get(i), r.get(i).toLong());
        }
      }
      return out;
    });
  }

  /** Records how far each player's distribution got; a lost hint only costs one more distribution. */
  public void markSeen(Map<Long, Long> upTo) {
    if (upTo.isEmpty()) {
      return;
    }
    List<Request> sets = new ArrayList<>();
    upTo.forEach((uid, id) -> sets.add(Request.cmd(Command.SET).arg(keys.seen(uid)).arg(id).arg("PX").arg(SEEN_TTL_MS)));
    stores.redisBatch(sets).onFailure(t -> LOG.debug("distribution hints not kept: {}", t.getMessage()));
  }

  /** Writes a body back (the id ZSET is the repair job's). */
  Future<Void> putBody(GlobalMail m) {
    return stores.redisClient().send(Request.cmd(Command.SET).arg(keys.body(m.id())).arg(m.toMsgpack())
        .arg("PXAT").arg(m.expiresAt() + BODY_MARGIN_MS)).mapEmpty();
  }

  /**
   * Up to {@code limit} lazily distributed ids greater than {@code cursor}, oldest first: from the
   * ZSET while it is complete, else from MySQL (and a rebuild is asked for).
   */
  public Future<List<Long>> idsAfter(long cursor, int limit) {
    return stores.redis().eval(List.of(GlobalKeys.IDS_AFTER, "1", keys.ids(), Long.toString(cursor),
            Integer.toString(limit), GlobalKeys.COMPLETE))
        .transform(ar -> {
          if (ar.succeeded() && ar.result() != null) {
            List<Long> ids = new ArrayList<>();
            for (Response r : ar.result()) {
              ids.add(r.toLong());
            }
            return Future.succeededFuture(ids);
          }
          if (ar.failed()) {
            LOG.debug("global id ZSET unreadable ({}); reading ids from MySQL", ar.cause().getMessage());
          } else {
            onIncomplete.run();
          }
          metrics.cacheMiss("ids", 1);
          return idsFromMysql(cursor, limit);
        });
  }

  private Future<List<Long>> idsFromMysql(long cursor, int limit) {
    return stores.db().primary().preparedQuery(GlobalSql.LAZY_IDS_AFTER)
        .execute(Tuple.of(cursor, System.currentTimeMillis(), limit))
        .map(rows -> {
          List<Long> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getLong(0)));
          return ids;
        });
  }

  /**
   * The bodies of these ids that exist and are not retracted (as far as this read can tell: the
   * distribution guard re-checks in MySQL). Misses are read from MySQL and written back.
   */
  public Future<Map<Long, GlobalMail>> bodies(List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<String> ks = ids.stream().map(keys::body).toList();
    return stores.redis().mget(ks)
        .transform(ar -> {
          Map<Long, GlobalMail> found = new HashMap<>();
          List<Long> missing = new ArrayList<>();
          for (int i = 0; i < ids.size(); i++) {
            Response r = ar.succeeded() ? ar.result().get(i) : null;
            GlobalMail m = r == null ? null : decode(ids.get(i), r);
            if (m == null) {
              missing.add(ids.get(i));
            } else {
              found.put(m.id(), m);
            }
          }
          if (missing.isEmpty()) {
            return Future.succeededFuture(found);
          }
          metrics.cacheMiss("body", missing.size());
          return fromMysql(missing, ar.succeeded()).map(more -> {
            found.putAll(more);
            return found;
          });
        });
  }

  private static GlobalMail decode(long id, Response r) {
    try {
      return GlobalMail.fromMsgpack(r.toBuffer());
    } catch (RuntimeException e) {
      LOG.warn("cached body of global mail {} unreadable ({}); reading MySQL", id, e.getMessage());
      return null;
    }
  }

  /** Rows by id from MySQL; live ones are written back to Redis when it answered the read. */
  public Future<Map<Long, GlobalMail>> fromMysql(Collection<Long> ids, boolean writeBack) {
    return stores.db().primary().preparedQuery(GlobalSql.byIds(ids.size())).execute(Tuple.from(new ArrayList<>(ids)))
        .map(rows -> {
          long now = System.currentTimeMillis();
          Map<Long, GlobalMail> out = new HashMap<>();
          for (Row r : rows) {
            if (r.getLong("deleted_at") != null) {
              continue;
            }
            GlobalMail m = GlobalMail.fromRow(r);
            out.put(m.id(), m);
            if (writeBack && m.expiresAt() > now) {
              putBody(m).onFailure(t -> LOG.debug("body of global mail {} not re-cached: {}", m.id(), t.getMessage()));
            }
          }
          return out;
        });
  }

  /** Retraction: the id leaves the ZSET and the body expires after {@code seconds}. */
  public Future<Void> retracted(long id, int seconds) {
    return stores.redis().zrem(List.of(keys.ids(), Long.toString(id)))
        .compose(v -> stores.redis().expire(List.of(keys.body(id), Integer.toString(seconds))))
        .mapEmpty();
  }

  /** Repair: the ZSET becomes exactly these ids, marked complete. */
  public Future<Void> replaceIds(List<Long> ids) {
    List<String> args = new ArrayList<>(List.of(GlobalKeys.REPLACE_IDS, "1", keys.ids()));
    ids.forEach(id -> args.add(Long.toString(id)));
    return stores.redis().eval(args).mapEmpty();
  }

  /** Which of these ids have no cached body (repair). */
  public Future<List<Long>> missingBodies(List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    List<Future<Response>> checks = ids.stream().map(id -> stores.redis().exists(List.of(keys.body(id)))).toList();
    return Future.all(checks).map(cf -> {
      List<Long> missing = new ArrayList<>();
      for (int i = 0; i < ids.size(); i++) {
        if (cf.<Response>resultAt(i).toInteger() == 0) {
          missing.add(ids.get(i));
        }
      }
      return missing;
    });
  }
}
