package io.ravenpost.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.common.config.MysqlConfig;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real InnoDB deadlock is survived by {@link Db#tx}: the victim runs again and both commit. */
class DbRetryTest {
  private Vertx vertx;
  private SimpleMeterRegistry metrics;
  private Db db;
  private String table;

  @BeforeEach
  void setUp() {
    TestEnv.ensure();
    vertx = Vertx.vertx();
    metrics = new SimpleMeterRegistry();
    db = Db.connect(vertx, new MysqlConfig(List.of(TestEnv.mysqlUri()), 4), metrics);
    table = "deadlock_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    Await.result(db.primary().query("CREATE TABLE " + table + " (k INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB")
        .execute());
    Await.result(db.primary().query("INSERT INTO " + table + " VALUES (1, 0), (2, 0)").execute());
  }

  @AfterEach
  void tearDown() {
    Await.result(db.primary().query("DROP TABLE IF EXISTS " + table).execute());
    Await.result(db.close());
    Await.result(vertx.close());
  }

  @Test
  void crossedTransactionsBothCommitAfterTheVictimRetries() {
    Promise<Void> firstHolds = Promise.promise();
    Promise<Void> secondHolds = Promise.promise();
    AtomicInteger attempts = new AtomicInteger();
    // Each transaction locks its own row, waits until the other holds its row, then wants it:
    // InnoDB must pick a victim. On the retry the gates are open, so the victim just queues.
    Future<Void> first = db.tx(db.primary(), conn -> crossing(conn, 1, 2, firstHolds, secondHolds.future(), attempts));
    Future<Void> second = db.tx(db.primary(), conn -> crossing(conn, 2, 1, secondHolds, firstHolds.future(), attempts));

    Await.result(Future.all(first, second), 30_000);

    assertThat(attempts.get()).isGreaterThan(2);
    assertThat(metrics.counter("raven_sql_retries_total").count()).isGreaterThanOrEqualTo(1);
    assertThat(values(db.primary())).containsExactly(2, 2);
  }

  @Test
  void otherErrorsFailAtOnce() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> Await.result(db.retrying(() -> {
      attempts.incrementAndGet();
      return db.primary().query("SELECT no_such_column FROM " + table).execute();
    }))).hasMessageContaining("no_such_column");
    assertThat(attempts).hasValue(1);
    assertThat(metrics.counter("raven_sql_retries_total").count()).isZero();
  }

  @Test
  void aDeadlockThatNeverClearsFailsWithItsOwnErrorAndIsCounted() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> Await.result(db.retrying(() -> {
      attempts.incrementAndGet();
      return Future.failedFuture(new MySQLException("Deadlock found", 1213, "40001"));
    }), 30_000)).hasMessageContaining("Deadlock");
    assertThat(attempts.get()).isGreaterThan(1);
    assertThat(metrics.counter("raven_sql_retries_exhausted_total").count()).isEqualTo(1);
    assertThat(Errors.toRaven(new MySQLException("Deadlock found", 1213, "40001")).code())
        .isEqualTo(ErrorCode.UNAVAILABLE);
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

  private List<Integer> values(Pool pool) {
    return Await.result(pool.query("SELECT v FROM " + table + " ORDER BY k").execute()).stream()
        .map(r -> r.getInteger(0)).toList();
  }
}
