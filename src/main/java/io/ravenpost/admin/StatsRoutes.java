package io.ravenpost.admin;

import io.ravenpost.common.ClusterView;
import io.ravenpost.common.NodeContext;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.ravenpost.http.QueueDepth;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/** {@code GET /admin/stats}: cluster members with their addresses, live gate nodes with their session counts, queue depths. */
final class StatsRoutes implements AdminRoutes {
  private final NodeContext ctx;
  private final List<QueueDepth> queues;

  StatsRoutes(NodeContext ctx, List<QueueDepth> queues) {
    this.ctx = ctx;
    this.queues = queues;
  }

  @Override
  public void mount(Router router) {
    router.get("/admin/stats").handler(rc -> Http.respond(rc, 200, this::stats));
  }

  private static Long sessions(String leaseValue) {
    long n = Long.parseLong(leaseValue);
    return n < 0 ? null : n;
  }

  /**
   * What the node knows, each part on its own: Hazelcast's members always, the live gate nodes and
   * their sessions from Redis (null with {@code redis: "unavailable: ..."} while Redis is down), and
   * each queue's depth (null when that queue cannot be read).
   */
  private Future<JsonObject> stats(RoutingContext rc) {
    JsonObject out = new JsonObject().put("clusterMembers", ctx.clusterNodes().size()).put("node", ctx.nodeId());
    return ClusterView.members(ctx)
        .compose(members -> {
          out.put("members", members);
          return gateNodes().map(nodes -> out.put("nodes", nodes).put("redis", "ok"))
              .otherwise(t -> out.putNull("nodes").put("redis", "unavailable: " + t.getMessage()));
        })
        .compose(v -> queueDepths())
        .map(q -> out.put("queues", q));
  }

  private Future<JsonArray> gateNodes() {
    return ctx.redis().zrange(List.of(ctx.key("nodes"), "0", "-1"))
        .compose(nodes -> {
          List<Future<JsonObject>> each = new ArrayList<>();
          // A lease a login restored after a Redis loss holds -1 until the node's next renewal.
          nodes.forEach(n -> each.add(ctx.redis().get(ctx.key("node:" + n)).map(v -> v == null ? null
              : new JsonObject().put("node", n.toString()).put("sessions", sessions(v.toString())))));
          return Future.all(each);
        })
        .map(cf -> {
          JsonArray nodes = new JsonArray();
          for (int i = 0; i < cf.size(); i++) {
            if (cf.resultAt(i) != null) {
              nodes.add(cf.<JsonObject>resultAt(i));
            }
          }
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
