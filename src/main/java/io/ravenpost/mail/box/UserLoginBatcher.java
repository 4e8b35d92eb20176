package io.ravenpost.mail.box;

import io.ravenpost.common.Db;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Coalesces the {@code users} upserts of logins arriving together into one multi-row statement
 * per shard: a login storm then costs one commit (one fsync) per few milliseconds instead of one
 * per login. Each login still waits until its row is committed.
 */
final class UserLoginBatcher {
  /** A login's row: (uid, name, created_at, zone, level, tags, first_login_at, last_login_at, locale). */
  record Row(List<Object> values, boolean hasCreatedAt) {
  }

  private final ShardBatcher<Row, Void> batcher;

  UserLoginBatcher(Vertx vertx, Db db) {
    this.batcher = new ShardBatcher<>(vertx, db, (pool, rows) -> {
      List<Row> withCreated = rows.stream().filter(Row::hasCreatedAt).toList();
      List<Row> without = rows.stream().filter(r -> !r.hasCreatedAt()).toList();
      return Future.all(write(db, pool, withCreated, true), write(db, pool, without, false))
          .map(v -> Collections.nCopies(rows.size(), (Void) null));
    });
  }

  /** Adds the row to its shard's next batch; completes once that batch is committed. */
  Future<Void> add(long uid, Row row) {
    return batcher.add(uid, row);
  }

  private static Future<Void> write(Db db, Pool pool, List<Row> rows, boolean updateCreatedAt) {
    if (rows.isEmpty()) {
      return Future.succeededFuture();
    }
    // Padded by repeating the last row (a repeated upsert changes nothing).
    int size = ShardBatcher.padded(rows.size());
    List<Object> params = new ArrayList<>(size * 9);
    rows.forEach(r -> params.addAll(r.values()));
    for (int i = rows.size(); i < size; i++) {
      params.addAll(rows.get(rows.size() - 1).values());
    }
    String sql = MailSql.userUpsert(size, updateCreatedAt);
    return db.retrying(() -> pool.preparedQuery(sql).execute(Tuple.from(params))).mapEmpty();
  }
}
