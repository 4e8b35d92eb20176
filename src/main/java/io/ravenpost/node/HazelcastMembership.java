package io.ravenpost.node;

import com.hazelcast.cluster.Member;
import io.ravenpost.api.node.NodeAddresses;
import io.ravenpost.common.Bus;
import io.ravenpost.common.Membership;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster as Hazelcast shows it to this node: each member with the address it advertises, and
 * whether its event-bus consumers answer from here (every node answers a ping on its own address,
 * so a member that answers is one the event bus reaches both ways). Without a cluster (tests that
 * run one node unclustered) the node is alone.
 */
final class HazelcastMembership implements Membership {
  /** Hazelcast member attribute carrying the Ravenpost node id (a member attribute, not an address). */
  static final String NODE_ATTRIBUTE = "ravenpostNodeId";
  private static final long PING_TIMEOUT_MS = 1000;

  private final String nodeId;
  private final Vertx vertx;
  private final HazelcastClusterManager cluster;

  /** @param cluster null when the node runs without a cluster */
  HazelcastMembership(String nodeId, Vertx vertx, HazelcastClusterManager cluster) {
    this.nodeId = nodeId;
    this.vertx = vertx;
    this.cluster = cluster;
  }

  @Override
  public List<String> nodes() {
    return cluster == null ? List.of(nodeId) : cluster.getNodes();
  }

  @Override
  public boolean active() {
    return cluster == null || cluster.isActive();
  }

  @Override
  public Future<JsonArray> members() {
    if (cluster == null) {
      return Future.succeededFuture(new JsonArray().add(new JsonObject().put("node", nodeId)
          .put("address", null).put("self", true).put("reachable", true).put("rttMs", 0)));
    }
    List<Future<JsonObject>> each = new ArrayList<>();
    for (Member m : cluster.getHazelcastInstance().getCluster().getMembers()) {
      String node = m.getAttribute(NODE_ATTRIBUTE);
      JsonObject row = new JsonObject().put("node", node)
          .put("address", m.getAddress().getHost() + ":" + m.getAddress().getPort())
          .put("self", m.localMember());
      each.add(ping(node).map(rtt -> row.put("reachable", rtt >= 0).put("rttMs", rtt >= 0 ? rtt : null)));
    }
    return Future.all(each).map(cf -> {
      JsonArray out = new JsonArray();
      cf.<JsonObject>list().forEach(out::add);
      return out;
    });
  }

  /** The Hazelcast side of this node, or null without a cluster. */
  HazelcastClusterManager clusterManager() {
    return cluster;
  }

  private Future<Long> ping(String node) {
    if (node == null) {
      return Future.succeededFuture(-1L);
    }
    long t0 = System.nanoTime();
    return Bus.request(vertx, NodeAddresses.ping(node), null, new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MS))
        .map(m -> (System.nanoTime() - t0) / 1_000_000)
        .otherwise(-1L);
  }
}
