package io.ravenpost.stats;

import io.ravenpost.common.Stores;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code GET /admin/stats/history}: every gate node's sessions and logins per second over the last
 * {@code stats.historyPoints} samples, oldest first, as {@code {sampleMs, nodes: {nodeId: {t: [],
 * sessions: [], loginsPerSec: []}}}}. Any admin node answers for the whole cluster: the samples are
 * in Redis.
 */
public final class HistoryRoutes implements AdminRoutes {
  private final Stores stores;
  private final StatsConfig cfg;
  private final HistoryKeys keys;

  public HistoryRoutes(Stores stores, StatsConfig cfg) {
    this.stores = stores;
    this.cfg = cfg;
    this.keys = new HistoryKeys(stores);
  }

  @Override
  public void mount(Router router) {
    router.get("/admin/stats/history").handler(rc -> Http.respond(rc, 200, this::history));
  }

  private Future<JsonObject> history(RoutingContext rc) {
    long since = System.currentTimeMillis() - cfg.spanMs();
    return stores.redis().send(Command.ZRANGEBYSCORE, keys.nodes(), Long.toString(since), "+inf")
        .compose(members -> {
          List<String> ids = new ArrayList<>();
          members.forEach(m -> ids.add(m.toString()));
          List<Request> reads = ids.stream().map(id -> Request.cmd(Command.LRANGE).arg(keys.node(id)).arg(0).arg(-1))
              .toList();
          return stores.redisBatch(reads).map(lists -> {
            JsonObject nodes = new JsonObject();
            for (int i = 0; i < ids.size(); i++) {
              nodes.put(ids.get(i), series(lists.get(i), since));
            }
            return new JsonObject().put("sampleMs", cfg.historySampleMs()).put("nodes", nodes);
          });
        });
  }

  /** A node's list is newest first; charts want oldest first. */
  private static JsonObject series(Response list, long since) {
    JsonArray t = new JsonArray();
    JsonArray sessions = new JsonArray();
    JsonArray logins = new JsonArray();
    for (int i = list == null ? -1 : list.size() - 1; i >= 0; i--) {
      JsonObject p = new JsonObject(list.get(i).toString());
      if (p.getLong("t") >= since) {
        t.add(p.getLong("t"));
        sessions.add(p.getLong("s"));
        logins.add(p.getDouble("l"));
      }
    }
    return new JsonObject().put("t", t).put("sessions", sessions).put("loginsPerSec", logins);
  }
}
