package io.ravenpost.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ravenpost.common.Errors;
import io.ravenpost.common.Membership;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.http.Http;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every node serves without a token, whatever its roles: {@code /health} (MySQL, Redis and the
 * cluster), {@code /health/live}, {@code /health/ready} (every role of this node ready),
 * {@code /metrics} and {@code /openapi.yaml}. A failed check answers its error code and the
 * request id; the detail goes to the log under that request id, not to an unauthenticated caller.
 */
final class HealthRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);
  private static final long CHECK_TIMEOUT_MS = 2000;
  private static final String OK = "ok";

  private final NodeInfo node;
  private final Stores stores;
  private final Membership membership;
  private final Map<String, Supplier<Future<Void>>> roles;
  private final Buffer openApi;

  /** @param roles each role of this node with its readiness check */
  HealthRoutes(NodeInfo node, Stores stores, Membership membership, Map<String, Supplier<Future<Void>>> roles) {
    this.node = node;
    this.stores = stores;
    this.membership = membership;
    this.roles = roles;
    this.openApi = resource("openapi.yaml");
  }

  void mount(Router router) {
    router.get("/health").handler(rc -> health(rc).onSuccess(h -> json(rc, h.getBoolean("ok") ? 200 : 503, h)));
    router.get("/health/live").handler(rc -> json(rc, 200, new JsonObject().put("live", true).put("node", node.id())));
    router.get("/health/ready").handler(rc -> ready(rc).onSuccess(r -> json(rc, r.getBoolean("ready") ? 200 : 503, r)));
    router.get("/metrics").handler(PrometheusScrapingHandler.create((PrometheusMeterRegistry) node.metrics()));
    router.get("/openapi.yaml").handler(rc -> rc.response().putHeader("content-type", "application/yaml")
        .end(openApi));
  }

  private Future<JsonObject> health(RoutingContext rc) {
    Future<String> mysql = check(rc, "mysql", stores.db().ping());
    Future<String> redis = check(rc, "redis", stores.redis().ping(List.of()).mapEmpty());
    String cluster = membership.active() ? OK : "UNAVAILABLE";
    return Future.join(mysql, redis).transform(ar -> Future.succeededFuture(new JsonObject()
        .put("ok", OK.equals(mysql.result()) && OK.equals(redis.result()) && OK.equals(cluster))
        .put("node", node.id())
        .put("mysql", mysql.result()).put("redis", redis.result()).put("cluster", cluster)
        .put("clusterMembers", membership.nodes().size()).put("requestId", Http.requestId(rc))));
  }

  private Future<JsonObject> ready(RoutingContext rc) {
    List<String> names = new ArrayList<>(roles.keySet());
    List<Future<String>> checks = names.stream().map(n -> check(rc, n, roles.get(n).get())).toList();
    return Future.join(checks).transform(ar -> {
      JsonObject byRole = new JsonObject();
      boolean ready = true;
      for (int i = 0; i < names.size(); i++) {
        byRole.put(names.get(i), checks.get(i).result());
        ready &= OK.equals(checks.get(i).result());
      }
      return Future.succeededFuture(new JsonObject().put("ready", ready).put("node", node.id())
          .put("roles", byRole).put("requestId", Http.requestId(rc)));
    });
  }

  private static Future<String> check(RoutingContext rc, String what, Future<?> f) {
    return f.timeout(CHECK_TIMEOUT_MS, TimeUnit.MILLISECONDS).map(v -> OK).recover(t -> {
      String code = Errors.codeOf(t).name();
      LOG.warn("{} {}: {} not ready ({}): {}", rc.request().method(), rc.request().path(), what, code, t.toString());
      return Future.succeededFuture(code);
    });
  }

  private static void json(RoutingContext rc, int status, JsonObject body) {
    rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
  }

  private static Buffer resource(String name) {
    try (InputStream in = HealthRoutes.class.getClassLoader().getResourceAsStream(name)) {
      return Buffer.buffer(in == null ? new byte[0] : in.readAllBytes());
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + name + " from the jar", e);
    }
  }
}
