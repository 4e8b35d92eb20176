package io.ravenpost.admin;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ravenpost.common.Claims;
import io.ravenpost.common.NodeContext;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.ravenpost.http.QueueDepth;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The admin and internal HTTP API of PROTOCOL.md, plus health and Prometheus metrics. */
public final class AdminHttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AdminHttpVerticle.class);
  private static final long BODY_LIMIT = 1 << 20;
  private static final long HEALTH_TIMEOUT_MS = 2000;

  private final NodeContext ctx;
  private final List<AdminRoutes> features;
  private final List<QueueDepth> queues;
  private HttpServer server;

  /**
   * @param features routes of the other features, mounted behind authentication
   * @param queues   the features' queues, listed by {@code GET /admin/stats}
   */
  public AdminHttpVerticle(NodeContext ctx, List<AdminRoutes> features, List<QueueDepth> queues) {
    this.ctx = ctx;
    this.features = features;
    this.queues = queues;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.get("/health").handler(rc -> health().onComplete(ar -> rc.response()
        .setStatusCode(ar.result().getBoolean("ok") ? 200 : 503)
        .putHeader("content-type", "application/json").end(ar.result().encode())));
    router.get("/metrics").handler(PrometheusScrapingHandler.create((PrometheusMeterRegistry) ctx.metrics()));
    router.route("/admin/*").handler(new BearerAuth(ctx.tokens(), Set.of(Claims.ADMIN)));
    router.route("/internal/*").handler(new BearerAuth(ctx.tokens(), Set.of(Claims.ADMIN, Claims.SERVICE)));
    router.route().handler(BodyHandler.create().setBodyLimit(BODY_LIMIT));
    List<AdminRoutes> all = new ArrayList<>();
    all.add(new OnlineRoutes(ctx));
    all.add(new StatsRoutes(ctx, queues));
    all.addAll(features);
    all.forEach(r -> r.mount(router));
    router.route().last().handler(rc -> Http.error(rc,
        io.ravenpost.api.ErrorCode.NOT_FOUND.error("no route " + rc.request().method() + " " + rc.request().path())));
    router.route().failureHandler(rc -> {
      if (rc.statusCode() == 413) {
        Http.error(rc, io.ravenpost.api.ErrorCode.TOO_LARGE.error("body over " + BODY_LIMIT + " bytes"));
      } else {
        Http.error(rc, rc.failure() != null ? rc.failure()
            : io.ravenpost.api.ErrorCode.BAD_REQUEST.error("HTTP " + rc.statusCode()));
      }
    });
    var adminCfg = ctx.config().admin();
    server = vertx.createHttpServer(new HttpServerOptions().setHost(adminCfg.host()).setPort(adminCfg.port()))
        .requestHandler(router);
    return server.listen().onSuccess(s -> LOG.info("admin HTTP on node {} at http://{}:{}", ctx.nodeId(),
        adminCfg.host(), s.actualPort()));
  }

  /** Requests under way are answered (up to {@code node.drainMs}) before connections close. */
  @Override
  public Future<?> stop() {
    return ctx.crashed() ? server.close()
        : server.shutdown(ctx.config().node().drainMs(), TimeUnit.MILLISECONDS);
  }

  public int port() {
    return server.actualPort();
  }

  private Future<JsonObject> health() {
    Future<String> mysql = check(ctx.db().ping());
    Future<String> redis = check(ctx.redis().ping(List.of()).mapEmpty());
    String cluster = ctx.clusterActive() ? "ok" : "down";
    return Future.join(mysql, redis).transform(ar -> Future.succeededFuture(new JsonObject()
        .put("ok", "ok".equals(mysql.result()) && "ok".equals(redis.result()) && "ok".equals(cluster))
        .put("node", ctx.nodeId())
        .put("mysql", mysql.result()).put("redis", redis.result()).put("cluster", cluster)
        .put("clusterMembers", ctx.clusterNodes().size())));
  }

  private static Future<String> check(Future<?> f) {
    return f.timeout(HEALTH_TIMEOUT_MS, TimeUnit.MILLISECONDS).map(v -> "ok")
        .recover(t -> Future.succeededFuture("down: " + t.getMessage()));
  }
}
