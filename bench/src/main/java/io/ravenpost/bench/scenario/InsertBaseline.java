package io.ravenpost.bench.scenario;

import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Sync;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * The latency floor of storing one mail: a bare single-row INSERT of a mail-sized row with
 * autocommit (one commit each), one at a time, into a scratch table of the benchmark database.
 */
final class InsertBaseline {
  private static final long SQL_TIMEOUT_MS = 30_000;
  private static final String TABLE = "bench_insert_probe";

  private InsertBaseline() {
  }

  /** Null when MySQL cannot be reached from the bench. */
  static Latency measure(BenchRun run, int samples) {
    Pool sql;
    try {
      sql = run.sql();
      Sync.await(sql.query("DROP TABLE IF EXISTS " + TABLE).execute(), SQL_TIMEOUT_MS);
      Sync.await(sql.query("CREATE TABLE " + TABLE + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, uid BIGINT NOT NULL, "
          + "title VARCHAR(128) NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL, KEY (uid, id))")
          .execute(), SQL_TIMEOUT_MS);
    } catch (RuntimeException e) {
      return null;
    }
    Latency l = new Latency();
    try {
      String stmt = "INSERT INTO " + TABLE + " (uid, title, body, created_at) VALUES (?, ?, ?, ?)";
      for (int i = 0; i < samples; i++) {
        long t0 = System.nanoTime();
        Sync.await(sql.preparedQuery(stmt).execute(Tuple.of(1_000_000L + i, "bench insert " + i, "benchmark mail",
            System.currentTimeMillis())), SQL_TIMEOUT_MS);
        l.recordNanos(System.nanoTime() - t0);
      }
      return l;
    } finally {
      Sync.await(sql.query("DROP TABLE IF EXISTS " + TABLE).execute(), SQL_TIMEOUT_MS);
    }
  }
}
