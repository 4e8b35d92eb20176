package io.ravenpost.bench.scenario;

import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Sync;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Registers many players fast: multi-row INSERTs of 2,000 rows into the {@code users} table
 * (V001__users.sql), four statements in flight, with a progress line.
 */
public final class UserSeeder {
  private static final int ROWS_PER_STATEMENT = 2000;
  private static final int IN_FLIGHT = 4;
  private static final long SQL_TIMEOUT_MS = 300_000;

  private UserSeeder() {
  }

  /** Inserts uids {@code [from, from + count)} created at {@code createdAt} (the unit the table uses). */
  public static double seed(Pool sql, long from, long count, long createdAt) {
    AtomicLong done = new AtomicLong();
    long t0 = System.nanoTime();
    try (Progress p = Progress.start("seeding users", () -> String.format("%,d of %,d (%,.0f rows/s)", done.get(),
        count, done.get() / ((System.nanoTime() - t0) / 1e9)))) {
      List<Future<?>> inFlight = new ArrayList<>();
      for (long at = 0; at < count; at += ROWS_PER_STATEMENT) {
        int n = (int) Math.min(ROWS_PER_STATEMENT, count - at);
        inFlight.add(sql.query(statement(from + at, n, createdAt)).execute().onSuccess(r -> done.addAndGet(n)));
        if (inFlight.size() == IN_FLIGHT) {
          Sync.await(Future.all(inFlight), SQL_TIMEOUT_MS);
          inFlight.clear();
        }
      }
      Sync.await(Future.all(inFlight), SQL_TIMEOUT_MS);
    }
    double s = (System.nanoTime() - t0) / 1e9;
    Progress.say(String.format("seeded %,d users in %.1f s (%,.0f rows/s)", count, s, count / s));
    return count / s;
  }

  public static long count(Pool sql) {
    return Sync.await(sql.query("SELECT COUNT(*) FROM users").execute(), SQL_TIMEOUT_MS).iterator().next().getLong(0);
  }

  private static String statement(long first, int n, long createdAt) {
    StringBuilder sb = new StringBuilder(n * 64).append("INSERT IGNORE INTO users (uid, name, created_at, zone, level,"
        + " tags, first_login_at, last_login_at) VALUES ");
    for (int i = 0; i < n; i++) {
      long uid = first + i;
      if (i > 0) {
        sb.append(',');
      }
      sb.append('(').append(uid).append(",'bench").append(uid).append("',").append(createdAt)
          .append(",'z").append(uid % 8).append("',").append(1 + uid % 60).append(",NULL,")
          .append(createdAt).append(',').append(createdAt).append(')');
    }
    return sb.toString();
  }
}
