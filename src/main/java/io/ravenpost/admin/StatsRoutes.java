package io.ravenpost.admin;

import io.ravenpost.common.Membership;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.ravenpost.http.QueueDepth;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/** {@code GET /admin/stats}: cluster members with their addresses, live gate nodes with their session counts, queue depths. */
final class StatsRoutes implements AdminRoutes {
  private final String nodeId;
  private final Membership membership;
  private final OnlineState online;
  private final List<QueueDepth> queues;

  StatsRoutes(String nodeId, Membership membership, OnlineState online, List<QueueDepth> queues) {
    this.nodeId = nodeId;
    this.membership = membership;
    this.online = online;
    this.queues = queues;
  }

  @Override
  public void mount(Router router) {
    router.get("/admin/stats").handler(rc -> Http.respond(rc, 200, this::stats));
  }

  /**
   * What the node knows, each part on its own: Hazelcast's members always, the live gate nodes and
   * their sessions from Redis (null with {@code redis: "unavailable: ..."} while Redis is down), and
   * each queue's depth (null when that queue cannot be read).
   */
  private Future<JsonObject> stats(RoutingContext rc) {
    JsonObject out = new JsonObject().put("clusterMembers", membership.nodes().size()).put("node", nodeId);
    return membership.members()
        .compose(members -> {
          out.put("members", members);
          return gateNodes().map(nodes -> out.put("nodes", nodes).put("redis", "ok"))
              .otherwise(t -> out.putNull("nodes").put("redis", "unavailable: " + t.getMessage()));
        })
        .compose(v -> queueDepths())
        .map(q -> out.put("queues", q));
  }

  private Future<JsonArray> gateNodes() {
    return online.sessionsByNode().map(byNode -> {
      JsonArray nodes = new JsonArray();
      byNode.forEach((n, sessions) -> nodes.add(new JsonObject().put("node", n).put("sessions", sessions)));
      return nodes;
    });
  }

  /** One unreachable queue must not hide the others: it reads as null. */
  private Future<JsonObject> queueDepths() {
    List<Future<Long>> depths = queues.stream().map(q -> q.depth().otherwise((Long) null)).toList();
    return Future.all(depths).map(d -> {
      JsonObject q = new JsonObject();
      for (int i = 0; i < queues.size(); i++) {
        q.put(queues.get(i).name(), d.<Long>resultAt(i));
      }
      return q;
    });
  }
}
