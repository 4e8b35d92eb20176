package io.ravenpost.bench.scenario;

import io.ravenpost.bench.BenchOptions;
import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Goal;
import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Report;
import io.ravenpost.bench.Scenario;
import io.ravenpost.bench.Sync;
import io.ravenpost.bench.Table;
import io.ravenpost.bench.load.AdminClient;
import io.ravenpost.bench.load.BenchClient;
import io.ravenpost.bench.load.SessionPool;
import io.ravenpost.bench.node.BenchNode;
import io.ravenpost.bench.node.NodeSet;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * {@code global}: creating an "all to date" global mail must cost the same whatever the number
 * of players (p99 with 10k vs 1M registered), and distributing it at login must run near the
 * database's speed (players served per second, as mailbox rows per second, against raw
 * multi-row INSERTs of the same rows).
 */
public final class GlobalScenario implements Scenario {
  static final double GOAL_CREATE_RATIO = 1.5;
  static final double GOAL_SHARE_OF_BASELINE = 0.7;
  private static final long SERVE_TIMEOUT_MS = 120_000;
  private static final long POLL_MS = 250;

  @Override
  public String name() {
    return "global";
  }

  @Override
  public Report run(BenchRun run) {
    BenchOptions o = run.options();
    Report report = new Report(name());
    // 1 + 2 * creates global mails must fit a mailbox (capacity 100), or the served check never holds.
    int creates = o.smoke() ? 5 : 30;
    // Issue 4 compares 10k with 1M registered players.
    long small = o.smoke() ? 1000 : 10_000;
    long big = o.smoke() ? 5000 : 1_000_000;
    int players = (int) Math.min(big, o.clientsOr(1000, 20));
    Pool sql = run.sql();
    try (NodeSet nodes = NodeSet.open(run, name(), 1)) {
      BenchNode node = nodes.get(0);
      long createdAtS = System.currentTimeMillis() / 1000 - 86_400;
      long probeUid = run.uids(1);
      AdminClient.Answer probe = Sync.await(run.admin().sendMail(node.adminPort(), globalMail(run, "probe")), 30_000);
      if (AdminClient.featureMissing(probe)) {
        return report.skip("global mail (target all_to_date) not available (POST /admin/mail answered "
            + probe.status() + " " + probe.errorCode() + ")");
      }
      long unit = createdAtUnit(run, node, probeUid, createdAtS);
      if (unit == 0) {
        return report.skip("players are not registered in the users table at login (mail role missing?)");
      }
      long base = run.uids(big);
      resetUsers(run, report, sql);
      UserSeeder.seed(sql, base, small, createdAtS * unit);
      long registeredSmall = UserSeeder.count(sql);
      Latency createSmall = creates(run, node, creates, String.format("%,d", small));
      UserSeeder.seed(sql, base + small, big - small, createdAtS * unit);
      long registeredBig = UserSeeder.count(sql);
      Latency createBig = creates(run, node, creates, String.format("%,d", big));
      int globals = 1 + 2 * creates;
      JsonObject served = distribute(run, node, base, players, createdAtS, globals);
      JsonObject raw = MailTable.rawInsert(run, MailTable.discover(sql), base, base + players);
      report.baseline.put("rawInsert", raw);
      report.figures.put("registeredSmall", registeredSmall).put("registeredBig", registeredBig)
          .put("createSmall", createSmall.toJson()).put("createBig", createBig.toJson())
          .put("globalMails", globals).put("distribution", served);
      return describe(report, registeredSmall, registeredBig, createSmall, createBig, served, raw, globals);
    }
  }

  /**
   * Logs one player in and reads back its users row: 1 when created_at is stored in seconds,
   * 1000 for milliseconds, 0 when no row was written.
   */
  private static long createdAtUnit(BenchRun run, BenchNode node, long uid, long createdAtS) {
    try (SessionPool one = SessionPool.open(run, "global probe login", node.wsPort(),
        new String[] {run.playerToken(uid, createdAtS)}, ix -> { })) {
      var rows = Sync.await(run.sql().preparedQuery("SELECT created_at FROM users WHERE uid = ?")
          .execute(Tuple.of(uid)), 10_000);
      if (rows.size() == 0) {
        return 0;
      }
      return rows.iterator().next().getLong(0) > createdAtS * 100 ? 1000 : 1;
    }
  }

  /** In the benchmark's own database the table is emptied, so "10,000 registered" means exactly that. */
  private static void resetUsers(BenchRun run, Report report, Pool sql) {
    if (!run.options().reuseCluster() && run.options().mysqlUri().replaceFirst("\\?.*", "").endsWith("_bench")) {
      Sync.await(sql.query("TRUNCATE TABLE users").execute(), 60_000);
    } else {
      report.note("the users table was not emptied (not the benchmark's own database): counts include other players");
    }
  }

  private static JsonObject globalMail(BenchRun run, String what) {
    return new JsonObject().put("target", new JsonObject().put("type", "all_to_date"))
        .put("title", "bench-global-" + run.runId() + "-" + what).put("body", "benchmark global mail");
  }

  private static Latency creates(BenchRun run, BenchNode node, int n, String label) {
    Latency l = new Latency();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      AdminClient.Answer a = Sync.await(run.admin().sendMail(node.adminPort(), globalMail(run, label + "-" + i)),
          30_000);
      if (a.status() / 100 != 2) {
        throw new IllegalStateException("global mail create answered " + a.status() + ": " + a.body());
      }
      l.recordNanos(System.nanoTime() - t0);
    }
    Progress.say(String.format("global: %d creates with %s players: p50 %.2f ms, p99 %.2f ms", n, label, l.ms(50),
        l.ms(99)));
    return l;
  }

  /** Logs {@code players} seeded players in and waits until each has all {@code globals} mails. */
  private static JsonObject distribute(BenchRun run, BenchNode node, long base, int players, long createdAtS,
                                       int globals) {
    String[] tokens = new String[players];
    for (int i = 0; i < players; i++) {
      tokens[i] = run.playerToken(base + i, createdAtS);
    }
    long t0 = System.nanoTime();
    long[] servedAt = new long[players];
    int served = 0;
    try (SessionPool pool = SessionPool.open(run, "global distribution logins", node.wsPort(), tokens, ix -> { })) {
      long deadline = System.currentTimeMillis() + SERVE_TIMEOUT_MS;
      while (served < pool.open() && System.currentTimeMillis() < deadline) {
        served = poll(pool, servedAt, globals);
        Progress.say(String.format("global distribution: %,d of %,d players served", served, pool.open()));
        if (served < pool.open()) {
          Sync.sleep(POLL_MS);
        }
      }
    }
    long last = 0;
    for (long at : servedAt) {
      last = Math.max(last, at);
    }
    double seconds = last == 0 ? 0 : (last - t0) / 1e9;
    return new JsonObject().put("players", players).put("served", served).put("seconds", Latency.round(seconds))
        .put("playersPerSecond", seconds == 0 ? null : Latency.round(served / seconds))
        .put("rowsPerSecond", seconds == 0 ? null : Latency.round(served * (double) globals / seconds));
  }

  /** Asks each not yet served player for its unread count; returns how many are served. */
  private static int poll(SessionPool pool, long[] servedAt, int globals) {
    int served = 0;
    for (int i = 0; i < pool.size(); i++) {
      BenchClient c = pool.get(i);
      if (c == null) {
        continue;
      }
      if (servedAt[i] == 0) {
        try {
          long unread = Sync.await(c.call("mail.unread", new JsonObject()), BenchClient.REQUEST_TIMEOUT_MS + 1000)
              .getLong("unread", 0L);
          if (unread >= globals) {
            servedAt[i] = System.nanoTime();
          }
        } catch (RuntimeException e) {
          // Counted as not served yet; the next round asks again.
        }
      }
      served += servedAt[i] == 0 ? 0 : 1;
    }
    return served;
  }

  private static Report describe(Report report, long small, long big, Latency cs, Latency cb, JsonObject served,
                                 JsonObject raw, int globals) {
    Double ratio = cs.ms(99) <= 0 ? null : cb.ms(99) / cs.ms(99);
    Double rows = served.getDouble("rowsPerSecond");
    Double baseRows = raw.getBoolean("available", false) ? raw.getDouble("rowsPerSecond") : null;
    Double share = rows == null || baseRows == null ? null : rows / baseRows;
    Table t = new Table("", String.format("%,d registered", small), String.format("%,d registered", big));
    t.row("create p50 ms", cs.ms(50), cb.ms(50));
    t.row("create p99 ms", cs.ms(99), cb.ms(99));
    report.table(t);
    Table d = new Table(String.format("distribution of %d global mails", globals), "Ravenpost", "raw multi-row INSERT");
    d.row("players served", served.getLong("served"), "");
    d.row("players served/s", served.getDouble("playersPerSecond"), "");
    d.row("mailbox rows/s", rows, baseRows);
    report.table(d);
    report.goal(Goal.atMost(String.format("create p99 %,d / %,d registered", big, small), ratio, GOAL_CREATE_RATIO, "x"));
    report.goal(Goal.atLeast("distribution rows/s share of raw INSERT", share, GOAL_SHARE_OF_BASELINE, "x"));
    return report;
  }
}
