package io.ravenpost.bench.scenario.logincost;

import io.ravenpost.bench.BenchOptions;
import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Goal;
import io.ravenpost.bench.Report;
import io.ravenpost.bench.Scenario;
import io.ravenpost.bench.Table;
import io.ravenpost.bench.node.ThreadCpu;
import io.ravenpost.bench.scenario.UserSeeder;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code logincost}: what one login costs the node must not grow with the game. The same players
 * log in at the same fixed rate (an open loop) with 10k and with 1M registered players, and with
 * 0 and with 200 live global mails that they already have; the figure is node CPU ms per login
 * (p50/p99 beside it). Everything runs on a database and a Redis prefix of the scenario's own,
 * created here and removed at the end, also when it fails.
 */
public final class LoginCostScenario implements Scenario {
  static final double GOAL_RATIO = 1.2;
  static final String GOAL_USERS = "login cost 1M / 10k users";
  static final String GOAL_GLOBAL = "login cost 200 / 0 global mails";
  /**
   * Logins per second in every phase: well under what one node does closed-loop on a quiet 2-core
   * box (~400/s); lower (a third of the first phase's closed loop) when the box cannot give it that.
   */
  static final double RATE = 150;
  /** Logins that failed or never started beyond which a phase's figures say more about the box than the node. */
  private static final double MAX_FAILED_SHARE = 0.01;
  private static final double SMOKE_RATE = 40;

  @Override
  public String name() {
    return "logincost";
  }

  @Override
  public Report run(BenchRun run) {
    BenchOptions o = run.options();
    Report report = new Report(name());
    if (o.reuseCluster()) {
      return report.skip("logincost starts its own node on a database it creates; not with --target");
    }
    long small = o.smoke() ? 1000 : 10_000;
    long big = o.smoke() ? 5000 : 1_000_000;
    int globals = o.smoke() ? 20 : 200;
    int players = (int) Math.min(small, o.clientsOr(1000, 200));
    double rate = o.smoke() ? SMOKE_RATE : RATE;
    double seconds = o.durationOr(20, 2);
    double warm = o.smoke() ? 1 : 5;
    String prefix = run.redisPrefix() + name() + ":";
    // The run's store for this scenario: a database made empty for it and dropped after it, with the
    // run's Redis keys (this prefix among them).
    ScratchDatabase db = ScratchDatabase.of(run);
    long createdAtS = System.currentTimeMillis() / 1000 - 86_400;
    long base = run.uids(big);
    // The measured players are the first uids seeded: registered in the 10k set and in the 1M one.
    String[] tokens = new String[players];
    for (int i = 0; i < players; i++) {
      tokens[i] = run.playerToken(base + i, createdAtS);
    }
    LoginCostPhase phase = new LoginCostPhase(run, db, prefix, tokens, rate, warm, seconds);
    // The first node migrates the new database; seeding needs its tables.
    phase.withNode(name() + "-migrate", n -> { });
    UserSeeder.seed(db.pool(), base, small, createdAtS);
    List<LoginCostPhase.Result> results = new ArrayList<>();
    results.add(phase.measure(name() + "-users-small", label(small, 0)));
    UserSeeder.seed(db.pool(), base + small, big - small, createdAtS);
    results.add(phase.measure(name() + "-users-big", label(big, 0)));
    phase.withNode(name() + "-deliver", n -> GlobalBacklog.createAndDeliver(run, db, n, globals, tokens, base));
    results.add(phase.measure(name() + "-global", label(big, globals)));
    return describe(report, results, players, seconds, warm, db.name());
  }

  private static String label(long users, int globals) {
    return human(users) + " users, " + globals + " global mails";
  }

  private static String human(long n) {
    return n >= 1_000_000 && n % 1_000_000 == 0 ? n / 1_000_000 + "M"
        : n >= 1000 && n % 1000 == 0 ? n / 1000 + "k" : Long.toString(n);
  }

  private static Report describe(Report report, List<LoginCostPhase.Result> results, int players, double seconds,
                                 double warm, String database) {
    double rate = results.get(0).rate();
    List<String> header = new ArrayList<>(List.of(String.format("%,d players, %,.0f logins/s, %.0f s", players, rate,
        seconds)));
    results.forEach(r -> header.add(r.label()));
    Table t = new Table(header.toArray(String[]::new));
    t.row(cells("registered users", results, r -> r.sizes().getLong("users")));
    t.row(cells("mailbox rows", results, r -> r.sizes().getLong("mailboxRows")));
    t.row(cells("live global mails", results, r -> r.sizes().getLong("globalMails")));
    t.row(cells("closed loop logins/s (after warm-up)", results, LoginCostPhase.Result::closedLoopPerSecond));
    t.row(cells("logins / failed / not started", results, r -> r.open().logins.sum() + " / " + r.open().failed.sum()
        + " / " + r.open().notStarted.sum()));
    t.row(cells("p50 ms", results, r -> r.open().latency.ms(50)));
    t.row(cells("p99 ms", results, r -> r.open().latency.ms(99)));
    t.row(cells("CPU ms per login: node", results, LoginCostPhase.Result::nodeCpuMsPerLogin));
    t.row(cells("  node idle CPU ms per second", results, LoginCostPhase.Result::idleMsPerSecond));
    t.row(cells("  node CPU ms per login above idle (the goals)", results, LoginCostPhase.Result::aboveIdleMsPerLogin));
    for (String k : List.of(ThreadCpu.EVENT_LOOPS, ThreadCpu.JIT, ThreadCpu.GC, ThreadCpu.OTHER)) {
      t.row(cells("  of which node " + k, results, r -> r.threadMsPerLogin(k)));
    }
    for (String p : List.of("load generator", "redis", "mariadb")) {
      t.row(cells("CPU ms per login: " + p, results, r -> LoginCostPhase.cpuPerLogin(r.open().cpu, p)));
    }
    t.row(cells("cores busy (all processes)", results, r -> r.open().cpu.fieldNames().stream()
        .mapToDouble(k -> r.open().cpu.getJsonObject(k).getDouble("coresBusy")).sum()));
    report.table(t);
    JsonArray phases = new JsonArray();
    results.forEach(r -> phases.add(r.toJson()));
    report.figures.put("players", players).put("ratePerSecond", rate).put("seconds", seconds)
        .put("warmupSeconds", warm).put("maxRatePerSecond", RATE).put("database", database).put("phases", phases);
    report.goal(Goal.atMost(GOAL_USERS, ratio(results.get(1), results.get(0)), GOAL_RATIO, "x"));
    report.goal(Goal.atMost(GOAL_GLOBAL, ratio(results.get(2), results.get(1)), GOAL_RATIO, "x"));
    results.stream().filter(r -> !keptUp(r)).forEach(r -> report.note(r.label() + ": "
        + (r.open().failed.sum() + r.open().notStarted.sum()) + " logins failed or not started: the node did not keep "
        + "up with the rate, so its CPU per login is not comparable (goals on it: not measured)"));
    report.note("each phase on a node started afresh and warmed up the same way (closed loop in rounds of " + warm
        + " s until the JIT took under 10% of the node's CPU in one, a 5 s closed loop, 3 s at the rate), the same "
        + "players, the same Redis prefix");
    return report;
  }

  private static boolean keptUp(LoginCostPhase.Result r) {
    long bad = r.open().failed.sum() + r.open().notStarted.sum();
    return bad <= MAX_FAILED_SHARE * (bad + r.open().logins.sum());
  }

  private static Object[] cells(String name, List<LoginCostPhase.Result> results,
                                java.util.function.Function<LoginCostPhase.Result, Object> f) {
    List<Object> row = new ArrayList<>(List.of(name));
    results.forEach(r -> row.add(f.apply(r)));
    return row.toArray();
  }

  /** Null (not measured) when either phase did not keep up with the rate: its CPU per login means nothing. */
  private static Double ratio(LoginCostPhase.Result a, LoginCostPhase.Result b) {
    if (!keptUp(a) || !keptUp(b)) {
      return null;
    }
    Double x = a.aboveIdleMsPerLogin();
    Double y = b.aboveIdleMsPerLogin();
    return x == null || y == null || y <= 0 ? null : x / y;
  }

  /** Removes the keys the scenario's nodes left under its prefix; bounded, best effort. */

}
