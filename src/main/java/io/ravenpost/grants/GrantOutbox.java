package io.ravenpost.grants;

import io.ravenpost.api.AuditContext;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.common.Db;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The grant outbox as webhook senders and pullers see it: rows are leased (a token and an end time
 * written on the row), acknowledged, put back with a pause and the reason, dead-lettered past the
 * retention, and resent by operators. A lease is the only way to be offered a row, so two holders
 * never have the same grant at once; a holder that vanishes loses its rows when the lease ends.
 */
final class GrantOutbox {
  private static final SecureRandom TOKENS = new SecureRandom();

  private final Db db;

  /** Grants offered under one lease; {@code token} proves the holder when it puts one back. */
  record Lease(long token, List<Grant> grants) {
  }

  GrantOutbox(Db db) {
    this.db = db;
  }

  /** Up to {@code limit} offerable grants, leased for {@code leaseMs}, shard after shard. */
  Future<Lease> lease(int limit, long leaseMs) {
    long token = TOKENS.nextLong(1, Long.MAX_VALUE);
    List<Grant> out = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Pool pool : db.all()) {
      chain = chain.compose(v -> out.size() >= limit ? Future.succeededFuture()
          : leaseOn(pool, limit - out.size(), leaseMs, token).map(out::addAll).mapEmpty());
    }
    return chain.map(v -> new Lease(token, out));
  }

  private Future<List<Grant>> leaseOn(Pool pool, int limit, long leaseMs, long token) {
    long now = System.currentTimeMillis();
    long until = now + leaseMs;
    return db.read(() -> pool.preparedQuery(GrantSql.OFFERABLE).execute(Tuple.of(now, now, limit)))
        .compose(rows -> {
          if (rows.size() == 0) {
            return Future.succeededFuture(List.<Grant>of());
          }
          List<Object> args = new ArrayList<>(List.of(until, token, now));
          rows.forEach(r -> args.addAll(List.of(r.getLong(0), r.getLong(1))));
          return db.retrying(() -> pool.preparedQuery(GrantSql.lease(rows.size())).execute(Tuple.from(args)))
              .compose(r -> r.rowCount() == 0 ? Future.succeededFuture(List.<Grant>of())
                  : pool.preparedQuery(GrantSql.LEASED).execute(Tuple.of(until, token))
                  .map(leased -> {
                    List<Grant> got = new ArrayList<>();
                    leased.forEach(row -> got.add(Grant.of(row)));
                    return got;
                  }));
        });
  }

  /** Marks the grants acknowledged; answers how many were open (unknown or repeated ids change nothing). */
  Future<Integer> ack(List<Grant.Id> ids) {
    long now = System.currentTimeMillis();
    Map<Integer, List<Grant.Id>> byShard = new TreeMap<>();
    ids.forEach(id -> byShard.computeIfAbsent(db.shardOf(id.uid()), s -> new ArrayList<>()).add(id));
    List<Future<Integer>> writes = new ArrayList<>();
    byShard.forEach((shard, some) -> {
      List<Object> args = new ArrayList<>(List.of(now));
      some.forEach(id -> args.addAll(List.of(id.uid(), id.mailId())));
      writes.add(db.retrying(() -> db.shard(shard).preparedQuery(GrantSql.ack(some.size()))
          .execute(Tuple.from(args))).map(r -> r.rowCount()));
    });
    return Future.all(writes).map(cf -> writes.stream().mapToInt(Future::result).sum());
  }

  /** Puts a grant of {@code lease} back, to be offered again at {@code nextAt}, keeping {@code why}. */
  Future<Void> retryLater(Lease lease, Grant g, long nextAt, String why) {
    String reason = why.length() > 255 ? why.substring(0, 255) : why;
    return db.retrying(() -> db.forUid(g.uid()).preparedQuery(GrantSql.RETRY)
        .execute(Tuple.of(nextAt, reason, g.uid(), g.mailId(), lease.token()))).mapEmpty();
  }

  /** Dead-letters grants unacknowledged since before {@code cutoff}; answers how many. */
  Future<Long> deadLetter(long cutoff, int batch) {
    long now = System.currentTimeMillis();
    return db.eachShard(pool -> db.retrying(() -> pool.preparedQuery(GrantSql.DEAD_LETTER)
        .execute(Tuple.of(now, cutoff, batch))).map(r -> r.rowCount()));
  }

  /** The newest dead letters across shards: each grant with {@code deadAt}, {@code attempts}, {@code lastError}. */
  Future<List<JsonObject>> dead(int limit) {
    List<Future<List<JsonObject>>> parts = new ArrayList<>();
    for (Pool pool : db.all()) {
      parts.add(db.read(() -> pool.preparedQuery(GrantSql.DEAD).execute(Tuple.of(limit))).map(rows -> {
        List<JsonObject> out = new ArrayList<>();
        for (Row r : rows) {
          out.add(Grant.of(r).toJson().put("deadAt", r.getLong("dead_at")).put("attempts", r.getInteger("attempts"))
              .put("lastError", r.getString("last_error")));
        }
        return out;
      }));
    }
    return Future.all(parts).map(cf -> {
      List<JsonObject> all = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        all.addAll(cf.<List<JsonObject>>resultAt(i));
      }
      all.sort(Comparator.<JsonObject>comparingLong(g -> -g.getLong("deadAt")));
      return all.size() > limit ? all.subList(0, limit) : all;
    });
  }

  /** Offers a dead letter again with a fresh retention, audited in the same transaction; NOT_FOUND if it is not one. */
  Future<Void> resend(Grant.Id id, AuditContext who) {
    long now = System.currentTimeMillis();
    return db.tx(db.forUid(id.uid()), conn -> conn.preparedQuery(GrantSql.RESEND)
        .execute(Tuple.of(now, now, id.uid(), id.mailId()))
        .compose(r -> r.rowCount() == 0
            ? Future.failedFuture(new RavenException(ErrorCode.NOT_FOUND, "no dead-lettered grant " + id))
            : AuditLog.record(conn, who, AuditContext.GRANT_RESEND, "grant " + id, AuditLog.OK)));
  }

  /** When the oldest open grant was claimed, or null when every grant is acknowledged or dead. */
  Future<Long> oldestOpen() {
    List<Future<Long>> parts = new ArrayList<>();
    for (Pool pool : db.all()) {
      parts.add(db.read(() -> pool.query(GrantSql.OLDEST_OPEN).execute()).map(rows -> rows.iterator().next().getLong(0)));
    }
    return Future.all(parts).map(cf -> {
      Long min = null;
      for (int i = 0; i < parts.size(); i++) {
        Long t = cf.resultAt(i);
        min = t == null ? min : min == null ? t : Math.min(min, t);
      }
      return min;
    });
  }
}
