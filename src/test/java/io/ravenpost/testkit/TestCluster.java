package io.ravenpost.testkit;

import io.ravenpost.node.RavenConfig;
import io.ravenpost.node.RavenNode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Real Ravenpost nodes in this JVM, joined over Hazelcast on 127.0.0.1 with a cluster name,
 * port range and Redis prefix of their own, so test classes never see each other's state.
 */
public final class TestCluster implements AutoCloseable {
  private final String name;
  private final int hazelcastBase;
  private final String prefix;
  private final JsonObject extra;
  private final List<RavenNode> nodes = new ArrayList<>();
  private final Map<RavenNode, Crash.Switch> lifecycles = new HashMap<>();

  private TestCluster(JsonObject extra) {
    this.name = "rt-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    this.hazelcastBase = 20000 + ThreadLocalRandom.current().nextInt(0, 400) * 100;
    this.prefix = TestEnv.randomPrefix();
    this.extra = extra == null ? new JsonObject() : extra;
  }

  /** Starts {@code n} nodes one after another (each joins the ones before) and waits until all are ready. */
  public static TestCluster start(int n) {
    return start(n, null);
  }

  public static TestCluster start(int n, JsonObject extraOverrides) {
    TestCluster c = new TestCluster(extraOverrides);
    for (int i = 0; i < n; i++) {
      c.addNode();
    }
    return c;
  }

  /** One more node with the same settings (and optional overrides of its own). */
  public RavenNode addNode() {
    return addNode(new JsonObject());
  }

  public RavenNode addNode(JsonObject nodeOverrides) {
    JsonObject o = TestEnv.nodeOverrides(name, hazelcastBase, prefix);
    o.mergeIn(extra.copy(), true);
    o.mergeIn(nodeOverrides, true);
    RavenConfig cfg = RavenConfig.load(Map.of(), o);
    Crash.Switch lifecycle = new Crash.Switch();
    RavenNode node = Await.result(RavenNode.start(cfg, lifecycle), 60_000);
    nodes.add(node);
    lifecycles.put(node, lifecycle);
    awaitClusterSafe();
    return node;
  }

  public RavenNode node(int i) {
    return nodes.get(i);
  }

  public List<RavenNode> nodes() {
    return List.copyOf(nodes);
  }

  public String redisPrefix() {
    return prefix;
  }

  /**
   * Waits until Hazelcast has finished moving partitions to the members that joined, so a test
   * that kills a node right after start-up kills a settled member, not one mid-migration.
   */
  private void awaitClusterSafe() {
    // A precondition, not a property under test: on a starved box members can suspect each other
    // for a while before they settle, so this waits as long as a node start may take.
    Poll.until("Hazelcast partitions settled", 60_000, () -> nodes.stream()
        .map(RavenNode::clusterManager)
        .allMatch(c -> c == null || c.getHazelcastInstance().getPartitionService().isClusterSafe()));
  }

  /** Kills node {@code i} as a crash would (no graceful steps) and forgets it. */
  public void crash(int i) {
    awaitClusterSafe();
    RavenNode n = nodes.remove(i);
    Await.result(Crash.of(n, lifecycles.remove(n)), 30_000);
  }

  /** Stops node {@code i} gracefully and forgets it. */
  public void stop(int i) {
    RavenNode n = nodes.remove(i);
    Await.result(n.stop(), 30_000);
  }

  @Override
  public void close() {
    List<Future<Void>> stops = new ArrayList<>();
    for (RavenNode n : nodes) {
      stops.add(n.stop());
    }
    nodes.clear();
    Await.result(Future.join(stops).recover(t -> Future.succeededFuture()), 60_000);
  }
}
