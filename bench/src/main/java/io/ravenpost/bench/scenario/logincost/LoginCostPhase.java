package io.ravenpost.bench.scenario.logincost;

import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Sync;
import io.ravenpost.bench.load.LoginLoop;
import io.ravenpost.bench.load.OpenLoginLoop;
import io.ravenpost.bench.node.BenchNode;
import io.ravenpost.bench.node.CpuMeter;
import io.ravenpost.bench.node.NodeSet;
import io.ravenpost.bench.node.ThreadCpu;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One configuration of {@code logincost}: a node started afresh on the scenario's database and
 * Redis prefix, warmed up with the same logins, then an open loop of the same players at the fixed
 * rate, measured (node CPU per login, p50/p99). Every phase starts from the same JVM state, so
 * what differs between phases is the data alone.
 */
final class LoginCostPhase {
  /** Closed-loop clients of the warm-up: enough to get the login path compiled quickly. */
  private static final int WARM_CLIENTS = 16;
  /** Warm-up rounds at most, and the JIT's share of the node's CPU in a round below which it counts as warm. */
  /** Closed-loop seconds after the warm-up whose rate is the node's capacity (the first phase sets the rate). */
  private static final double PROBE_S = 5;
  /** Open-loop seconds at the measured rate between the probe and the measurement. */
  private static final double SETTLE_S = 3;
  /** Seconds of no logins after the measurement, for the node's idle CPU: as long as the measurement, at most this. */
  private static final double IDLE_MAX_S = 10;

  /**
   * @param openSeconds      wall time of the measured open loop
   * @param idleMsPerSecond  the node's CPU ms per second with no logins, right after the open loop
   */
  record Result(String label, JsonObject sizes, double closedLoopPerSecond, OpenLoginLoop open, double rate,
                JsonObject nodeThreads, double openSeconds, Double idleMsPerSecond) {
    Double nodeCpuMsPerLogin() {
      return cpuPerLogin(open.cpu, "node");
    }

    /**
     * Node CPU per login less what the node burns with no login at all (timers, leases, the
     * scheduler): at a low rate that background is a large share and would make every phase
     * look alike.
     */
    Double aboveIdleMsPerLogin() {
      Double all = nodeCpuMsPerLogin();
      long n = open.logins.sum();
      return all == null || idleMsPerSecond == null || n == 0 ? null
          : Latency.round(all - idleMsPerSecond * openSeconds / n);
    }

    /** The node's CPU ms per login on one kind of thread ({@link ThreadCpu}); null if unknown. */
    Double threadMsPerLogin(String kind) {
      Long ms = nodeThreads.getLong(kind);
      long n = open.logins.sum();
      return ms == null || n == 0 ? null : Latency.round((double) ms / n);
    }

    JsonObject toJson() {
      return new JsonObject().put("label", label).put("sizes", sizes).put("nodeCpuMsPerLogin", nodeCpuMsPerLogin())
          .put("nodeCpuMsPerLoginAboveIdle", aboveIdleMsPerLogin()).put("nodeIdleCpuMsPerSecond", idleMsPerSecond)
          .put("closedLoopPerSecond", Latency.round(closedLoopPerSecond)).put("openLoop", open.toJson(rate))
          .put("nodeThreadCpuMs", nodeThreads);
    }
  }

  private final BenchRun run;
  private final ScratchDatabase db;
  private final String redisPrefix;
  private final String[] tokens;
  private double rate;
  private final double maxRate;
  private final double warmS;
  private final double seconds;

  /** {@code maxRate}: the rate of every phase, unless the first phase's node manages less than twice that. */
  LoginCostPhase(BenchRun run, ScratchDatabase db, String redisPrefix, String[] tokens, double maxRate, double warmS,
                 double seconds) {
    this.run = run;
    this.db = db;
    this.redisPrefix = redisPrefix;
    this.tokens = tokens;
    this.maxRate = maxRate;
    this.warmS = warmS;
    this.seconds = seconds;
  }

  /**
   * Starts a node named {@code logName} (its log file), runs {@code before} on it (unmeasured),
   * and stops it again. Used for the first start, which migrates the database.
   */
  void withNode(String logName, Consumer<BenchNode> before) {
    try (NodeSet nodes = NodeSet.open(run, logName, 1, List.of(), env(), false)) {
      before.accept(nodes.get(0));
      String dead = nodes.deaths();
      if (dead != null) {
        throw new IllegalStateException(dead);
      }
    }
  }

  /** Warm-up then the measured open loop, on a node of its own; sizes read before the node starts. */
  Result measure(String logName, String label) {
    JsonObject sizes = db.sizes();
    Progress.say(String.format("logincost %s: %,d users, %,d mailbox rows, %,d live global mails", label,
        sizes.getLong("users"), sizes.getLong("mailboxRows"), sizes.getLong("globalMails")));
    try (NodeSet nodes = NodeSet.open(run, logName, 1, List.of(), env(), false)) {
      List<BenchNode> one = nodes.all();
      int clients = Math.min(WARM_CLIENTS, tokens.length);
      warmUp(one, clients, label);
      LoginLoop probe = new LoginLoop(run.load(), one, tokens, clients).run(PROBE_S,
          "logincost " + label + " closed loop", CpuMeter.of(one));
      if (rate == 0) {
        // A third of what the node does closed-loop, at most maxRate: on a shared box the node's share of
        // the cores swings, and at half an open loop fell behind and never caught up.
        rate = Math.max(1, Math.min(maxRate, Math.floor(probe.perSecond() / 3)));
        Progress.say(String.format("logincost: %,.0f logins/s closed loop; every phase runs at %,.0f/s",
            probe.perSecond(), rate));
      }
      new OpenLoginLoop().run(run.vertx(), run.load(), one.get(0), tokens, rate, SETTLE_S,
          "logincost " + label + " settle", CpuMeter.of(one));
      long pid = one.get(0).pid();
      Map<String, Long> threadsBefore = ThreadCpu.of(pid);
      long t0 = System.nanoTime();
      OpenLoginLoop open = new OpenLoginLoop().run(run.vertx(), run.load(), one.get(0), tokens, rate, seconds,
          String.format("logincost %s at %,.0f/s", label, rate), CpuMeter.of(one));
      double openSeconds = (System.nanoTime() - t0) / 1e9;
      JsonObject threads = new JsonObject();
      ThreadCpu.delta(threadsBefore, ThreadCpu.of(pid)).forEach(threads::put);
      CpuMeter idle = CpuMeter.of(one).begin();
      Sync.sleep((long) (Math.min(seconds, IDLE_MAX_S) * 1000));
      Double idleMs = cpuPerLogin(idle.end(1), "node");
      Double idlePerSecond = idleMs == null ? null : idleMs / Math.min(seconds, IDLE_MAX_S);
      String dead = nodes.deaths();
      if (dead != null) {
        throw new IllegalStateException(dead);
      }
      Result r = new Result(label, sizes, probe.perSecond(), open, rate, threads, openSeconds, idlePerSecond);
      Progress.say(String.format("logincost %s: node CPU %.3f ms per login (%.3f above idle), p50 %.2f ms, "
          + "p99 %.2f ms, %d failed", label, r.nodeCpuMsPerLogin(), r.aboveIdleMsPerLogin(), open.latency.ms(50),
          open.latency.ms(99), open.failed.sum()));
      return r;
    }
  }

  private void warmUp(List<BenchNode> one, int clients, String label) {
    LoginLoop.warmUp(run.load(), one, tokens, clients, warmS, "logincost " + label);
  }

  /** The scenario's database and one Redis prefix for every phase (a restart keeps the players' Redis state). */
  private Map<String, String> env() {
    return Map.of("RAVEN_MYSQL_URI", db.uri(), "RAVEN_REDIS_PREFIX", redisPrefix);
  }

  /** Sum of CPU ms per login over the processes whose label starts with {@code prefix}; null if unknown. */
  static Double cpuPerLogin(JsonObject cpu, String prefix) {
    Double sum = null;
    for (String k : cpu.fieldNames()) {
      Double v = cpu.getJsonObject(k).getDouble("cpuMsPerOp");
      if (k.startsWith(prefix) && v != null) {
        sum = (sum == null ? 0 : sum) + v;
      }
    }
    return sum == null ? null : Latency.round(sum);
  }
}
