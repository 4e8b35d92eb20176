package io.ravenpost.bench.scenario;

import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Sync;
import io.ravenpost.bench.load.AdminClient;
import io.ravenpost.bench.load.SessionPool;
import io.ravenpost.bench.node.BenchNode;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The distribution half of {@code global}, measured apart from logins: players log in first (at
 * whatever rate logins go, not timed) with accounts newer than every global mail so far, so their
 * logins have nothing to copy. Then {@code mails - 1} "all to date" mails are created with a start a
 * little ahead, which queues nobody, and once that start passed a last one that starts now: its
 * create queues every online player, and the workers copy all {@code mails} into each mailbox. The
 * clock runs from that last create to the moment every player's distribution committed: the
 * benchmark watches the players' cursors reach the last mail (a cheap count it can repeat every
 * few milliseconds; a read through the node would distribute on read and time the reader, not the
 * workers), then counts the copies in MySQL once.
 */
final class GlobalDistribution {
  private static final long SERVE_TIMEOUT_MS = 300_000;
  private static final long COUNT_EVERY_MS = 20;
  /** Room for the held-back creates before their common start. */
  private static final long START_MARGIN_MS = 1500;

  private GlobalDistribution() {
  }

  /** {@code {players, mails, served, rows, seconds, playersPerSecond, rowsPerSecond, loginsPerSecond}}. */
  static JsonObject run(BenchRun run, BenchNode node, String table, long base, int players, int mails) {
    // Accounts created in a second after every global mail so far: those are not theirs.
    long createdAtS = System.currentTimeMillis() / 1000 + 1;
    waitUntil(createdAtS * 1000);
    String[] tokens = new String[players];
    for (int i = 0; i < players; i++) {
      tokens[i] = run.playerToken(base + i, createdAtS);
    }
    try (SessionPool pool = SessionPool.open(run, "global distribution: players log in", node.wsPort(), tokens,
        ix -> { })) {
      long startsAt = System.currentTimeMillis() + mails * 40L + START_MARGIN_MS;
      for (int i = 0; i < mails - 1; i++) {
        create(run, node, mail(run, "held-" + i).put("startsAt", startsAt));
      }
      Progress.say(String.format("global distribution: %d mails created to start at once; %,d players online",
          mails - 1, pool.open()));
      waitUntil(startsAt + 1);
      // Late logins may still be copying the first held-back mails (a login answers after 200 ms and
      // goes on): those rows are not the workers', so they are left out of the rate.
      long before = copies(run, table, base, players);
      long expected = (long) pool.open() * mails;
      long t0 = System.nanoTime();
      long last = create(run, node, mail(run, "trigger")).json().getLong("globalMailId");
      AtomicLong served = new AtomicLong();
      long deadline = System.currentTimeMillis() + SERVE_TIMEOUT_MS;
      try (Progress p = Progress.start("global distribution", () -> String.format("%,d of %,d players served",
          served.get(), pool.open()))) {
        while (served.get() < pool.open() && System.currentTimeMillis() < deadline) {
          served.set(upToDate(run, base, players, last));
          if (served.get() < pool.open()) {
            Sync.sleep(COUNT_EVERY_MS);
          }
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long rows = copies(run, table, base, players);
      Progress.say(String.format("global distribution: %,d of %,d copies in %.2f s (%,d before the clock started)",
          rows, expected, seconds, before));
      return new JsonObject().put("players", players).put("online", pool.open()).put("mails", mails)
          .put("served", served.get()).put("rows", rows).put("rowsBeforeStart", before).put("expectedRows", expected)
          .put("seconds", Latency.round(seconds)).put("playersPerSecond", Latency.round(served.get() / seconds))
          .put("rowsPerSecond", Latency.round((rows - before) / seconds))
          .put("loginsPerSecond", Latency.round(pool.open() / pool.openSeconds()));
    }
  }

  private static JsonObject mail(BenchRun run, String what) {
    return new JsonObject().put("target", new JsonObject().put("type", "all_to_date"))
        .put("title", "bench-global-" + run.runId() + "-dist-" + what).put("body", "benchmark global mail");
  }

  private static AdminClient.Answer create(BenchRun run, BenchNode node, JsonObject mail) {
    AdminClient.Answer a = Sync.await(run.admin().sendMail(node.adminPort(), mail), 30_000);
    if (a.status() / 100 != 2) {
      throw new IllegalStateException("global mail create answered " + a.status() + ": " + a.body());
    }
    return a;
  }

  /** Players whose distribution cursor passed {@code lastId}: their copies committed with it. */
  private static long upToDate(BenchRun run, long base, int players, long lastId) {
    return Sync.await(run.sql().preparedQuery("SELECT COUNT(*) FROM global_mail_cursor WHERE uid >= ? AND uid < ?"
        + " AND last_id >= ?").execute(Tuple.of(base, base + players, lastId)), 30_000).iterator().next().getLong(0);
  }

  private static long copies(BenchRun run, String table, long base, int players) {
    return Sync.await(run.sql().preparedQuery("SELECT COUNT(*) FROM `" + table + "` WHERE uid >= ? AND uid < ?").execute(Tuple.of(base, base + players)), 30_000).iterator().next().getLong(0);
  }

  private static void waitUntil(long epochMs) {
    long left = epochMs - System.currentTimeMillis();
    if (left > 0) {
      Sync.sleep(left);
    }
  }
}
