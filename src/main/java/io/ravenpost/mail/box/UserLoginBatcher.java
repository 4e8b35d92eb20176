package io.ravenpost.mail.box;

import io.ravenpost.common.Db;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Coalesces the {@code users} upserts of logins arriving together into one multi-row statement
 * per shard: a login storm then costs one commit (one fsync) per few milliseconds instead of one
 * per login. Each login still waits until its row is committed, and goes on on its own context.
 */
final class UserLoginBatcher {
  /** A login's row: (uid, name, created_at, zone, level, tags, first_login_at, last_login_at, locale). */
  record Row(List<Object> values, boolean hasCreatedAt) {
  }

  private static final int MAX_ROWS = 200;
  private static final long LINGER_MS = 2;

  private final Vertx vertx;
  private final Db db;
  private final Map<Integer, Batch> pending = new HashMap<>();

  private static final class Batch {
    final List<Row> rows = new ArrayList<>();
    final List<Promise<Void>> waiters = new ArrayList<>();
  }

  UserLoginBatcher(Vertx vertx, Db db) {
    this.vertx = vertx;
    this.db = db;
  }

  /** Adds the row to its shard's next batch; completes once that batch is committed. */
  synchronized Future<Void> add(long uid, Row row) {
    int shard = db.shardOf(uid);
    Batch b = pending.get(shard);
    if (b == null) {
      b = new Batch();
      pending.put(shard, b);
      vertx.setTimer(LINGER_MS, id -> flush(shard));
    }
    b.rows.add(row);
    // Bound to the caller's context: the batch is written from another login's, and each login
    // must go on on its own (its session, its log context), not on the flusher's.
    Promise<Void> p = ((ContextInternal) vertx.getOrCreateContext()).promise();
    b.waiters.add(p);
    if (b.rows.size() >= MAX_ROWS) {
      flush(shard);
    }
    return p.future();
  }

  private void flush(int shard) {
    Batch b;
    synchronized (this) {
      b = pending.remove(shard);
    }
    if (b == null) {
      return;
    }
    Pool pool = db.shard(shard);
    List<Row> withCreated = b.rows.stream().filter(Row::hasCreatedAt).toList();
    List<Row> without = b.rows.stream().filter(r -> !r.hasCreatedAt()).toList();
    Future.all(write(db, pool, withCreated, true), write(db, pool, without, false))
        .onComplete(ar -> b.waiters.forEach(p -> {
          if (ar.succeeded()) {
            p.tryComplete();
          } else {
            p.tryFail(ar.cause());
          }
        }));
  }

  private static Future<Void> write(Db db, Pool pool, List<Row> rows, boolean updateCreatedAt) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    // Pad to a power of two by repeating the last row (a repeated upsert changes nothing), so a
    // connection caches at most a handful of statement shapes instead of one per batch size.
    int size = Integer.highestOneBit(rows.size() - 1) << 1;
    size = Math.max(1, size);
    List<Object> params = new ArrayList<>(size * 9);
    rows.forEach(r -> params.addAll(r.values()));
    for (int i = rows.size(); i < size; i++) {
      params.addAll(rows.get(rows.size() - 1).values());
    }
    String sql = MailSql.userUpsert(size, updateCreatedAt);
    return db.retrying(() -> pool.preparedQuery(sql).execute(Tuple.from(params))).mapEmpty();
  }
}
