package io.ravenpost.bench.scenario;

import io.ravenpost.bench.BenchOptions;
import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Goal;
import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Report;
import io.ravenpost.bench.Scenario;
import io.ravenpost.bench.Table;
import io.ravenpost.bench.load.LoginLoop;
import io.ravenpost.bench.load.OpenLoginLoop;
import io.ravenpost.bench.node.BenchNode;
import io.ravenpost.bench.node.CpuMeter;
import io.ravenpost.bench.node.NodeSet;
import io.ravenpost.bench.node.RedisClusterProcs;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code login}: logins per second and p50/p99 of connect + {@code auth.login} (token check,
 * registry claim with HSETNX, unread count) with C concurrent clients, on 1 node and on all
 * nodes; baselines: a bare-stack login server ({@link BareLoginBaseline}) driven the same way, and
 * redis-benchmark HSETNX at the same concurrency. Logins/s alone is a figure, not a goal: the
 * box's speed moves several times between days, the share of the bare server's rate does not.
 */
public final class LoginScenario implements Scenario {
  static final double GOAL_SHARE_OF_BARE = 0.5;
  static final double GOAL_CPU_VS_BARE = 2;
  static final double GOAL_P99_RATIO = 10;
  static final double GOAL_CPU_MS = 0.25;
  /** Logins/s on the local Redis Cluster as a share of those on one Redis: the cluster client's own cost. */
  static final double GOAL_CLUSTER_SHARE = 0.8;
  private static final int UIDS_PER_CLIENT = 16;

  @Override
  public String name() {
    return "login";
  }

  @Override
  public Report run(BenchRun run) {
    BenchOptions o = run.options();
    int clients = o.clientsOr(200, 8);
    int seconds = o.durationOr(20, 2);
    // One warm-up round; rounds repeat until the JIT settles (not measured).
    double warmup = o.smoke() ? 0.5 : Math.min(10, Math.max(1, seconds / 2.0));
    Report report = new Report(name());
    List<LoginLoop> phases = new ArrayList<>();
    List<Integer> nodeCounts = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    OpenLoginLoop open;
    double openRate;
    String[] tokens = tokens(run, clients * UIDS_PER_CLIENT);
    try (NodeSet nodes = NodeSet.open(run, name(), o.nodesOr(2))) {
      nodeCounts.add(1);
      if (nodes.size() > 1) {
        nodeCounts.add(nodes.size());
      }
      for (int n : nodeCounts) {
        List<BenchNode> use = nodes.all().subList(0, n);
        String label = "login " + n + (n == 1 ? " node" : " nodes");
        LoginLoop.warmUp(run.load(), use, tokens, clients, warmup, label);
        phases.add(new LoginLoop(run.load(), use, tokens, clients).run(seconds, label, CpuMeter.of(use)));
        labels.add(n + (n == 1 ? " node" : " nodes"));
      }
      // Half the closed loop's maximum on one node, at a steady rate: the p99 a player meets.
      openRate = phases.get(0).perSecond() / 2;
      List<BenchNode> one = nodes.all().subList(0, 1);
      open = new OpenLoginLoop().run(run.vertx(), run.load(), one.get(0), tokens, openRate, seconds,
          String.format("login open loop at %,.0f/s", openRate), CpuMeter.of(one));
      String dead = nodes.deaths();
      if (dead != null) {
        report.note(dead);
      }
    }
    // After the nodes are gone, on the users rows they wrote: the same tokens, clients and time.
    LoginLoop bare = BareLoginBaseline.run(run, tokens, clients, warmup, seconds);
    if (o.redisCluster() && !o.reuseCluster()) {
      int n = o.nodesOr(2);
      try (RedisClusterProcs rc = RedisClusterProcs.start(o.outDir());
           NodeSet nodes = NodeSet.open(run, name() + "-rcluster", n, rc.nodes())) {
        String[] fresh = tokens(run, clients * UIDS_PER_CLIENT);
        String label = "login " + n + (n == 1 ? " node" : " nodes") + ", Redis Cluster";
        LoginLoop.warmUp(run.load(), nodes.all(), fresh, clients, warmup, label);
        phases.add(new LoginLoop(run.load(), nodes.all(), fresh, clients).run(seconds, label, CpuMeter.of(nodes.all())));
        nodeCounts.add(n);
        labels.add(n + (n == 1 ? " node" : " nodes") + ", Redis Cluster (3 masters)");
        clusterShare(report, phases, nodeCounts);
        report.note("Redis Cluster phase: 3 local masters, no replicas; its Redis CPU is not measured "
            + "(only the Redis on 6379 is)");
      }
    }
    int requests = o.smoke() ? 2000 : Math.max(100_000, clients * 500);
    JsonObject redis = RedisBaseline.hsetnx(run, clients, requests);
    report.baseline.put("redisHsetnx", redis);
    describe(report, clients, seconds, nodeCounts, labels, phases, redis);
    describeBare(report, phases.get(0), bare);
    return describeOpen(report, open, openRate, redis);
  }

  /** The 1-node closed loop against the bare-stack server: rate and CPU per login, with their goals. */
  private static void describeBare(Report report, LoginLoop node, LoginLoop bare) {
    Double nodeCpu = cpuPerOp(node.cpu, "node");
    Double bareCpu = cpuPerOp(bare.cpu, BareLoginBaseline.LABEL);
    Double share = bare.perSecond() <= 0 ? null : node.perSecond() / bare.perSecond();
    Double cpuRatio = nodeCpu == null || bareCpu == null || bareCpu <= 0 ? null : nodeCpu / bareCpu;
    report.baseline.put("bareLogin", new JsonObject().put("seconds", Latency.round(bare.seconds()))
        .put("logins", bare.logins.sum()).put("loginsPerSecond", Latency.round(bare.perSecond()))
        .put("latency", bare.latency.toJson()).put("errors", bare.errorsJson()).put("cpu", bare.cpu)
        .put("serverCpuMsPerLogin", bareCpu));
    report.figures.put("loginsPerSecond1Node", Latency.round(node.perSecond()))
        .put("shareOfBareLogin", share == null ? null : Latency.round(share))
        .put("nodeCpuPerLoginVsBare", cpuRatio == null ? null : Latency.round(cpuRatio));
    Table t = new Table("closed loop, same clients and time", "Ravenpost, 1 node", "bare login server", "ratio");
    t.row("logins/s", node.perSecond(), bare.perSecond(), share);
    t.row("p50 / p99 ms", node.latency.ms(50) + " / " + node.latency.ms(99),
        bare.latency.ms(50) + " / " + bare.latency.ms(99), "");
    t.row("server CPU ms per login", nodeCpu, bareCpu, cpuRatio);
    t.row("CPU ms per login: load generator", cpuPerOp(node.cpu, "load generator"), cpuPerOp(bare.cpu, "load generator"),
        "");
    t.row("CPU ms per login: redis + mariadb", sum(cpuPerOp(node.cpu, "redis"), cpuPerOp(node.cpu, "mariadb")),
        sum(cpuPerOp(bare.cpu, "redis"), cpuPerOp(bare.cpu, "mariadb")), "");
    t.row("errors", node.errorCount() == 0 ? "0" : node.errorsJson().encode(),
        bare.errorCount() == 0 ? "0" : bare.errorsJson().encode(), "");
    report.table(t);
    report.goal(Goal.atLeast("login share of bare login", share, GOAL_SHARE_OF_BARE, "x"));
    report.goal(Goal.atMost("node CPU per login / bare", cpuRatio, GOAL_CPU_VS_BARE, "x"));
  }

  private static Double sum(Double a, Double b) {
    return a == null || b == null ? null : a + b;
  }

  /**
   * The last phase (the Redis Cluster's) against the phase on one Redis with as many nodes, in the
   * same run: on one machine the cluster can only add work, so this measures what the cluster
   * client costs the nodes.
   */
  private static void clusterShare(Report report, List<LoginLoop> phases, List<Integer> nodeCounts) {
    int last = phases.size() - 1;
    int same = nodeCounts.subList(0, last).lastIndexOf(nodeCounts.get(last));
    Double share = same < 0 || phases.get(same).perSecond() <= 0 ? null
        : phases.get(last).perSecond() / phases.get(same).perSecond();
    report.figures.put("redisClusterShare", share);
    report.goal(Goal.atLeast("redis cluster logins share of one redis", share, GOAL_CLUSTER_SHARE, "x"));
  }

  private static Report describeOpen(Report report, OpenLoginLoop open, double rate, JsonObject redis) {
    Double redisP99 = redis.getBoolean("available", false) ? redis.getDouble("p99Ms") : null;
    Double ratio = redisP99 == null || redisP99 <= 0 || open.latency.count() == 0 ? null
        : open.latency.ms(99) / redisP99;
    report.figures.put("openLoop", open.toJson(rate).put("p99VsRedisP99", ratio));
    Table t = new Table(String.format("open loop, 1 node, %,.0f logins/s (half the closed loop's)", rate),
        "login", "redis HSETNX");
    t.row("p50 / p99 ms", open.latency.ms(50) + " / " + open.latency.ms(99), redisP99 == null ? null : "p99 " + redisP99);
    t.row("logins / failed / not started", open.logins.sum() + " / " + open.failed.sum() + " / "
        + open.notStarted.sum(), "");
    t.row("CPU ms per login: node", cpuPerOp(open.cpu, "node"), "");
    report.table(t);
    report.goal(Goal.atMost("open-loop p99 / redis p99, 1 node", ratio, GOAL_P99_RATIO, "x"));
    report.goal(Goal.atMost("node CPU ms per login, open loop", cpuPerOp(open.cpu, "node"), GOAL_CPU_MS, "ms"));
    return report;
  }

  /** Sum of CPU ms per login over the processes whose label starts with {@code prefix}; null if unknown. */
  static Double cpuPerOp(JsonObject cpu, String prefix) {
    Double sum = null;
    for (String k : cpu.fieldNames()) {
      Double v = cpu.getJsonObject(k).getDouble("cpuMsPerOp");
      if (k.startsWith(prefix) && v != null) {
        sum = (sum == null ? 0 : sum) + v;
      }
    }
    return sum;
  }

  private static String[] tokens(BenchRun run, int n) {
    long base = run.uids(n);
    String[] tokens = new String[n];
    for (int i = 0; i < n; i++) {
      tokens[i] = run.playerToken(base + i);
    }
    Progress.say("login: minted " + n + " player tokens (" + UIDS_PER_CLIENT + " uids per client, used in turn)");
    return tokens;
  }

  private static Report describe(Report report, int clients, int seconds, List<Integer> nodeCounts,
                                 List<String> labels, List<LoginLoop> phases, JsonObject redis) {
    boolean redisOk = redis.getBoolean("available", false);
    Double redisP99 = redisOk ? redis.getDouble("p99Ms") : null;
    JsonArray phaseJson = new JsonArray();
    List<String> header = new ArrayList<>(List.of("C=" + clients + ", " + seconds + " s"));
    header.addAll(labels);
    header.add("redis HSETNX (redis-benchmark)");
    Table t = new Table(header.toArray(String[]::new));
    List<Object> rate = new ArrayList<>(List.of("logins/s (redis: ops/s)"));
    List<Object> p50 = new ArrayList<>(List.of("p50 ms"));
    List<Object> p99 = new ArrayList<>(List.of("p99 ms"));
    List<Object> max = new ArrayList<>(List.of("max ms"));
    List<Object> count = new ArrayList<>(List.of("logins (redis: requests)"));
    List<Object> errors = new ArrayList<>(List.of("errors"));
    List<Object> ratio = new ArrayList<>(List.of("p99 / redis p99"));
    List<Object> nodeCpu = new ArrayList<>(List.of("CPU ms per login: nodes"));
    List<Object> loadCpu = new ArrayList<>(List.of("CPU ms per login: load generator"));
    List<Object> redisCpu = new ArrayList<>(List.of("CPU ms per login: redis"));
    List<Object> mysqlCpu = new ArrayList<>(List.of("CPU ms per login: mariadb"));
    List<Object> busy = new ArrayList<>(List.of("cores busy (all processes)"));
    for (int i = 0; i < phases.size(); i++) {
      LoginLoop p = phases.get(i);
      int n = nodeCounts.get(i);
      Double r = redisP99 == null || redisP99 <= 0 || p.latency.count() == 0 ? null : p.latency.ms(99) / redisP99;
      phaseJson.add(new JsonObject().put("nodes", n).put("redis", labels.get(i).contains("Cluster") ? "cluster" : "standalone")
          .put("clients", clients).put("seconds", Latency.round(p.seconds()))
          .put("logins", p.logins.sum()).put("loginsPerSecond", Latency.round(p.perSecond()))
          .put("latency", p.latency.toJson()).put("errors", p.errorsJson()).put("p99VsRedisP99", r));
      rate.add(p.perSecond());
      p50.add(p.latency.ms(50));
      p99.add(p.latency.ms(99));
      max.add(p.latency.maxMs());
      count.add(p.logins.sum());
      errors.add(p.errorCount() == 0 ? "0" : p.errorCount() + " " + p.errorsJson().encode());
      ratio.add(r);
      nodeCpu.add(cpuPerOp(p.cpu, "node"));
      loadCpu.add(cpuPerOp(p.cpu, "load generator"));
      redisCpu.add(cpuPerOp(p.cpu, "redis"));
      mysqlCpu.add(cpuPerOp(p.cpu, "mariadb"));
      busy.add(p.cpu.fieldNames().stream().mapToDouble(k -> p.cpu.getJsonObject(k).getDouble("coresBusy")).sum());
      phaseJson.getJsonObject(phaseJson.size() - 1).put("cpu", p.cpu);
    }
    rate.add(redisOk ? redis.getDouble("rps") : "not measured: " + redis.getString("why"));
    p50.add(redisOk ? redis.getDouble("p50Ms") : null);
    p99.add(redisP99);
    max.add(redisOk ? redis.getDouble("maxMs") : null);
    count.add(redisOk ? redis.getLong("requests") : null);
    errors.add("");
    ratio.add("1");
    nodeCpu.add("");
    loadCpu.add("");
    redisCpu.add("");
    mysqlCpu.add("");
    busy.add("");
    for (List<Object> row : List.of(rate, p50, p99, max, count, errors, ratio, nodeCpu, loadCpu, redisCpu, mysqlCpu,
        busy)) {
      t.row(row.toArray());
    }
    report.figures.put("clients", clients).put("phases", phaseJson);
    if (!redisOk) {
      report.note("redis-benchmark baseline missing: " + redis.getString("why"));
    }
    return report.table(t);
  }
}
