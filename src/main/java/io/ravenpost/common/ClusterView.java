package io.ravenpost.common;

import com.hazelcast.cluster.Member;
import io.ravenpost.api.node.NodeAddresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster as this node sees it: each member with the addresses it advertises, and whether its
 * event-bus consumers answer from here. Every node answers a ping on its ping address, so a
 * member that answers is one the event bus reaches both ways (the reply travels back).
 */
public final class ClusterView {
  /** Hazelcast member attribute carrying the Ravenpost node id (a member attribute, not an address). */
  public static final String NODE_ATTRIBUTE = "ravenpostNodeId";
  private static final long PING_TIMEOUT_MS = 1000;

  private ClusterView() {
  }

  /** {@code [{node, address, reachable, rttMs}]}, one per member this node's Hazelcast lists. */
  public static Future<JsonArray> members(NodeContext ctx) {
    if (ctx.cluster() == null) {
      return Future.succeededFuture(new JsonArray().add(new JsonObject().put("node", ctx.nodeId())
          .put("address", null).put("reachable", true).put("rttMs", 0)));
    }
    List<Future<JsonObject>> each = new ArrayList<>();
    for (Member m : ctx.cluster().getHazelcastInstance().getCluster().getMembers()) {
      String node = m.getAttribute(NODE_ATTRIBUTE);
      JsonObject row = new JsonObject().put("node", node)
          .put("address", m.getAddress().getHost() + ":" + m.getAddress().getPort())
          .put("self", m.localMember());
      each.add(ping(ctx, node).map(rtt -> row.put("reachable", rtt >= 0).put("rttMs", rtt >= 0 ? rtt : null)));
    }
    return Future.all(each).map(cf -> {
      JsonArray out = new JsonArray();
      cf.<JsonObject>list().forEach(out::add);
      return out;
    });
  }

  private static Future<Long> ping(NodeContext ctx, String node) {
    if (node == null) {
      return Future.succeededFuture(-1L);
    }
    long t0 = System.nanoTime();
    return Bus.request(ctx.vertx(), NodeAddresses.ping(node), null,
            new DeliveryOptions().setSendTimeout(PING_TIMEOUT_MS))
        .map(m -> (System.nanoTime() - t0) / 1_000_000)
        .otherwise(-1L);
  }
}
