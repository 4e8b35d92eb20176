package io.ravenpost.bench.node;

import io.ravenpost.bench.BenchOptions;
import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Sync;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The nodes one scenario loads: the running ones given with --target, or fresh child JVMs
 * forming a cluster of their own (unique cluster name, Hazelcast ports and Redis prefix per
 * run), stopped when the scenario ends.
 */
public final class NodeSet implements AutoCloseable {
  private static final long START_TIMEOUT_MS = 120_000;
  private static final long POLL_MS = 250;
  private static final int START_ATTEMPTS = 2;

  private final List<BenchNode> nodes;

  private NodeSet(List<BenchNode> nodes) {
    this.nodes = nodes;
  }

  public static NodeSet open(BenchRun run, String scenario, int count) {
    return open(run, scenario, count, List.of());
  }

  /** Nodes on a Redis Cluster ({@code redis.mode} cluster) when {@code redisCluster} names its seeds. */
  public static NodeSet open(BenchRun run, String scenario, int count, List<String> redisCluster) {
    return open(run, scenario, count, redisCluster, Map.of());
  }

  /**
   * Nodes configured with {@code extraEnv} on top of the benchmark's own settings (a feature's
   * {@code RAVEN_*} variables); running nodes given with --target keep their own configuration.
   */
  public static NodeSet open(BenchRun run, String scenario, int count, List<String> redisCluster,
                             Map<String, String> extraEnv) {
    return open(run, scenario, count, redisCluster, extraEnv, true);
  }

  /**
   * {@code freshSchema} false: the nodes start on the state the scenario built so far (a scenario
   * that seeds players, then measures them on nodes started afresh for each phase).
   */
  public static NodeSet open(BenchRun run, String scenario, int count, List<String> redisCluster,
                             Map<String, String> extraEnv, boolean freshSchema) {
    BenchOptions o = run.options();
    if (o.reuseCluster()) {
      List<BenchNode> targets = new ArrayList<>();
      o.targets().forEach(e -> targets.add(new TargetNode(e)));
      return new NodeSet(targets);
    }
    NodeSet set = new NodeSet(new ArrayList<>());
    try {
      if (freshSchema) {
        // Each node set on an empty schema: what one leaves must not load the next.
        run.store().emptyTables();
      }
      set.spawn(run, scenario, count, redisCluster, extraEnv);
      return set;
    } catch (RuntimeException e) {
      set.close();
      throw e;
    }
  }

  private void spawn(BenchRun run, String scenario, int count, List<String> redisCluster,
                     Map<String, String> extraEnv) {
    BenchOptions o = run.options();
    int clusterPort = freeClusterPort();
    for (int i = 0; i < count; i++) {
      int offset = ChildNode.freeOffset(1000, 9000);
      String id = run.runId() + "-n" + i;
      Map<String, String> env = new HashMap<>();
      env.put("RAVEN_NODE_PORT_OFFSET", Integer.toString(offset));
      env.put("RAVEN_NODE_ID", id);
      env.put("RAVEN_CLUSTER_NAME", "bench-" + run.runId());
      env.put("RAVEN_CLUSTER_PORT", Integer.toString(clusterPort));
      env.put("RAVEN_CLUSTER_MEMBERS", "127.0.0.1");
      env.put("RAVEN_REDIS_PREFIX", run.redisPrefix() + scenario + ":");
      env.put("RAVEN_REDIS_URI", o.redisUri());
      if (!redisCluster.isEmpty()) {
        env.put("RAVEN_REDIS_MODE", "cluster");
        env.put("RAVEN_REDIS_CLUSTER_NODES", String.join(",", redisCluster));
      }
      env.put("RAVEN_MYSQL_URI", run.store().mysqlUri());
      env.put("RAVEN_MYSQL_SHARDS", "");
      env.put("RAVEN_JWT_SECRET", o.jwtSecret());
      env.put("RAVEN_ADMIN_JWT_SECRET", o.adminJwtSecret());
      env.put("RAVEN_GATE_HOST", "127.0.0.1");
      // Every simulated player connects from 127.0.0.1.
      env.put("RAVEN_GATE_MAX_CONNECTIONS_PER_IP", "10000000");
      env.put("RAVEN_ADMIN_HOST", "127.0.0.1");
      env.put("RAVEN_BENCH_ECHO", "true");
      env.putAll(extraEnv);
      Path log = o.outDir().resolve("logs").resolve(scenario + "-node" + i + ".log");
      long t0 = System.currentTimeMillis();
      ChildNode node = null;
      for (int attempt = 1; node == null; attempt++) {
        node = startOne(run, "node" + i, offset, env, log);
        nodes.add(node);
        try {
          awaitHealthy(run, node);
        } catch (IllegalStateException e) {
          // A node killed from outside during start-up (a shared machine) gets one more chance.
          if (node.alive() || attempt == START_ATTEMPTS) {
            throw e;
          }
          Progress.say(scenario + ": " + node.label() + " exited during start-up, starting it again: "
              + e.getMessage());
          nodes.remove(node);
          node = null;
        }
      }
      Progress.say(String.format("%s: node%d (pid %d) ready in %.1f s at ws://127.0.0.1:%d/ws, admin :%d, log %s",
          scenario, i, node.pid(), (System.currentTimeMillis() - t0) / 1000.0, node.wsPort(), node.adminPort(), log));
    }
  }

  private static ChildNode startOne(BenchRun run, String label, int offset, Map<String, String> env, Path log) {
    try {
      return ChildNode.start(run.options().nodeJavaOpts(), label, offset, env, log);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start a node JVM: " + e.getMessage(), e);
    }
  }

  private static void awaitHealthy(BenchRun run, ChildNode node) {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline) {
      if (!node.alive()) {
        throw new IllegalStateException(node.label() + " exited during start-up (exit code " + node.exitCode()
            + "); last log lines:\n" + tail(node.log()));
      }
      try {
        if (Sync.await(run.admin().get(node.adminPort(), "/health"), 5000).status() == 200) {
          return;
        }
      } catch (RuntimeException e) {
        // Not listening yet.
      }
      Sync.sleep(POLL_MS);
    }
    throw new IllegalStateException(node.label() + " not healthy after " + START_TIMEOUT_MS + " ms; last log lines:\n"
        + tail(node.log()));
  }

  private static int freeClusterPort() {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 17000 + 100 * (int) (Math.random() * 29);
      if (ChildNode.free(base) && ChildNode.free(base + 1) && ChildNode.free(base + 2)) {
        return base;
      }
    }
    throw new IllegalStateException("no free Hazelcast port between 17000 and 19900");
  }

  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /**
   * A note naming the nodes that exited while the scenario ran (killed from outside, or crashed:
   * see their logs), or null when all are alive. Figures measured after that are not valid.
   */
  public String deaths() {
    List<String> dead = new ArrayList<>();
    for (BenchNode n : nodes) {
      if (!n.alive()) {
        dead.add(n.label()
            + (n instanceof ChildNode c ? " (exit code " + c.exitCode() + ", log " + c.log() + ")" : ""));
      }
    }
    return dead.isEmpty() ? null : "nodes exited during the run, figures after that are not valid: " + dead;
  }

  public BenchNode get(int i) {
    return nodes.get(i);
  }

  public int size() {
    return nodes.size();
  }

  public List<BenchNode> all() {
    return List.copyOf(nodes);
  }

  @Override
  public void close() {
    for (int i = nodes.size() - 1; i >= 0; i--) {
      nodes.get(i).stop();
    }
  }
}
