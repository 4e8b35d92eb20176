package io.ravenpost.mail.global.distribute;

import io.ravenpost.common.Db;
import io.ravenpost.mail.global.store.GlobalMail;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * The transaction every copy of global mail is written in: on the player's shard, with a guard
 * that re-checks the global mail on the primary and share-locks it until the copy committed, so a
 * retraction never races a copy into a mailbox.
 */
public final class GuardedTx {
  /**
   * Re-checks ids in MySQL inside the distribution: which are not retracted, share-locked until it
   * ends. A share lock on a row whose create has not committed waits for that commit.
   */
  public interface Guard {
    Future<Set<Long>> live(Collection<Long> ids);

    /** Bodies read under the same locks, for ids whose body no cache read could see yet. */
    Future<Map<Long, GlobalMail>> bodies(Collection<Long> ids);
  }

  private final Db db;

  GuardedTx(Db db) {
    this.db = db;
  }

  /**
   * Runs {@code work} in a transaction on the player's shard with a guard whose shared locks live
   * on the primary until the shard's transaction committed. On one database that is a single
   * transaction; across databases the primary's transaction is opened first and committed last.
   * Deadlocks and lock-wait timeouts retry the whole thing.
   */
  public <T> Future<T> run(Pool shard, BiFunction<SqlConnection, Guard, Future<T>> work) {
    Pool primary = db.primary();
    if (shard == primary) {
      return db.tx(shard, conn -> work.apply(conn, guardOn(conn)));
    }
    return db.retrying(() -> primary.getConnection().compose(pconn -> pconn.begin().compose(ptx ->
            shard.withTransaction(conn -> work.apply(conn, guardOn(pconn)))
                .transform(ar -> (ar.succeeded() ? ptx.commit() : ptx.rollback())
                    .transform(end -> ar.succeeded() && end.failed() ? Future.<T>failedFuture(end.cause())
                        : ar.succeeded() ? Future.succeededFuture(ar.result()) : Future.<T>failedFuture(ar.cause()))))
        .eventually(pconn::close)));
  }

  private static Guard guardOn(SqlConnection primary) {
    return new Guard() {
      @Override
      public Future<Set<Long>> live(Collection<Long> ids) {
        return GlobalRows.live(primary, ids);
      }

      @Override
      public Future<Map<Long, GlobalMail>> bodies(Collection<Long> ids) {
        return GlobalRows.bodiesForShare(primary, ids);
      }
    };
  }
}
