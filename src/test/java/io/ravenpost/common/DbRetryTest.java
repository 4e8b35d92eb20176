package io.ravenpost.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.common.config.MysqlConfig;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A real InnoDB deadlock is survived by {@link Db#tx}: the victim runs again and both commit. */
@ExtendWith(VertxExtension.class)
class DbRetryTest {
  private SimpleMeterRegistry metrics;
  private Db db;
  private String table;

  @BeforeEach
  void setUp(Vertx vertx, VertxTestContext test) {
    TestEnv.ensure();
    metrics = new SimpleMeterRegistry();
    db = Db.connect(vertx, new MysqlConfig(List.of(TestEnv.mysqlUri()), 4), metrics);
    table = "deadlock_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    db.primary().query("CREATE TABLE " + table + " (k INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB").execute()
        .compose(r -> db.primary().query("INSERT INTO " + table + " VALUES (1, 0), (2, 0)").execute())
        .onComplete(test.succeedingThenComplete());
  }

  @AfterEach
  void tearDown(VertxTestContext test) {
    db.primary().query("DROP TABLE IF EXISTS " + table).execute()
        .compose(r -> db.close())
        .onComplete(test.succeedingThenComplete());
  }

  @Test
  void crossedTransactionsBothCommitAfterTheVictimRetries(VertxTestContext test) {
    Promise<Void> firstHolds = Promise.promise();
    Promise<Void> secondHolds = Promise.promise();
    AtomicInteger attempts = new AtomicInteger();
    // Each transaction locks its own row, waits until the other holds its row, then wants it:
    // InnoDB must pick a victim. On the retry the gates are open, so the victim just queues.
    Future<Void> first = db.tx(db.primary(), conn -> crossing(conn, 1, 2, firstHolds, secondHolds.future(), attempts));
    Future<Void> second = db.tx(db.primary(), conn -> crossing(conn, 2, 1, secondHolds, firstHolds.future(), attempts));

    Future.all(first, second).compose(v -> values(db.primary())).onComplete(test.succeeding(values -> test.verify(() -> {
      assertThat(attempts.get()).isGreaterThan(2);
      assertThat(metrics.counter("raven_sql_retries_total").count()).isGreaterThanOrEqualTo(1);
      assertThat(values).containsExactly(2, 2);
      test.completeNow();
    })));
  }

  @Test
  void otherErrorsFailAtOnce(VertxTestContext test) {
    AtomicInteger attempts = new AtomicInteger();
    db.retrying(() -> {
      attempts.incrementAndGet();
      return db.primary().query("SELECT no_such_column FROM " + table).execute();
    }).onComplete(test.failing(t -> test.verify(() -> {
      assertThat(t).hasMessageContaining("no_such_column");
      assertThat(attempts).hasValue(1);
      assertThat(metrics.counter("raven_sql_retries_total").count()).isZero();
      test.completeNow();
    })));
  }

  @Test
  void aDeadlockThatNeverClearsFailsWithItsOwnErrorAndIsCounted(VertxTestContext test) {
    AtomicInteger attempts = new AtomicInteger();
    db.retrying(() -> {
      attempts.incrementAndGet();
      return Future.failedFuture(new MySQLException("Deadlock found", 1213, "40001"));
    }).onComplete(test.failing(t -> test.verify(() -> {
      assertThat(t).hasMessageContaining("Deadlock");
      assertThat(attempts.get()).isGreaterThan(1);
      assertThat(metrics.counter("raven_sql_retries_exhausted_total").count()).isEqualTo(1);
      assertThat(Errors.toRaven(t).code()).isEqualTo(ErrorCode.UNAVAILABLE);
      test.completeNow();
    })));
  }

  private Future<Void> crossing(SqlConnection conn, int mine, int theirs, Promise<Void> iHold, Future<Void> theyHold,
                                AtomicInteger attempts) {
    attempts.incrementAndGet();
    String bump = "UPDATE " + table + " SET v = v + 1 WHERE k = ?";
    return conn.preparedQuery(bump).execute(Tuple.of(mine))
        .compose(r -> {
          iHold.tryComplete();
          return theyHold;
        })
        .compose(v -> conn.preparedQuery(bump).execute(Tuple.of(theirs)))
        .mapEmpty();
  }

  private Future<List<Integer>> values(Pool pool) {
    return pool.query("SELECT v FROM " + table + " ORDER BY k").execute()
        .map(rows -> {
          List<Integer> out = new ArrayList<>();
          rows.forEach(r -> out.add(r.getInteger(0)));
          return out;
        });
  }
}
