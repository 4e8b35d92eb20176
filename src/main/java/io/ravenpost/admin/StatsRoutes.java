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

  private Future<JsonObject> stats(RoutingContext rc) {
    JsonObject out = new JsonObject().put("clusterMembers", ctx.clusterNodes().size()).put("node", ctx.nodeId());
    return ClusterView.members(ctx)
        .compose(members -> {
          out.put("members", members);
          return ctx.redis().zrange(List.of(ctx.key("nodes"), "0", "-1"));
        })
        .compose(nodes -> {
          List<Future<JsonObject>> each = new ArrayList<>();
          // A lease a login restored after a Redis loss holds -1 until the node's next renewal.
          nodes.forEach(n -> each.add(ctx.redis().get(ctx.key("node:" + n)).map(v -> v == null ? null
              : new JsonObject().put("node", n.toString()).put("sessions", sessions(v.toString())))));
          return Future.all(each);
        })
        .compose(cf -> {
          JsonArray nodes = new JsonArray();
          for (int i = 0; i < cf.size(); i++) {
            if (cf.resultAt(i) != null) {
              nodes.add(cf.<JsonObject>resultAt(i));
            }
          }
          out.put("nodes", nodes);
          // One unreachable queue must not hide the others: it reads as null.
          List<Future<Long>> depths = queues.stream().map(q -> q.depth().otherwise((Long) null)).toList();
          return Future.all(depths).map(d -> {
            JsonObject q = new JsonObject();
            for (int i = 0; i < queues.size(); i++) {
              q.put(queues.get(i).name(), d.<Long>resultAt(i));
            }
            return out.put("queues", q);
          });
        });
  }
}
