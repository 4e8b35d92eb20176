package io.ravenpost.admin;

import io.ravenpost.admin.console.ConsoleRoutes;
import io.ravenpost.admin.console.ConsoleSessions;
import io.ravenpost.admin.operators.OperatorRoutes;
import io.ravenpost.admin.operators.OperatorStore;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.audit.AuditRoutes;
import io.ravenpost.common.Lifecycle;
import io.ravenpost.common.Membership;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.common.Tokens;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.ravenpost.http.QueueDepth;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP server on the admin port. Every node serves health, readiness, metrics and the
 * OpenAPI file there; a node with the admin role also serves the admin and internal API of
 * PROTOCOL.md and the operators' console.
 */
public final class AdminHttpVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(AdminHttpVerticle.class);
  private static final long BODY_LIMIT = 1 << 20;

  private final NodeInfo node;
  private final Stores stores;
  private final Membership membership;
  private final Lifecycle lifecycle;
  private final AdminConfig cfg;
  private final long drainMs;
  private final Tokens operatorTokens;
  private final OnlineState online;
  private final boolean adminRole;
  private final List<AdminRoutes> features;
  private final List<QueueDepth> queues;
  private final Map<String, Supplier<Future<Void>>> readiness;
  private HttpServer server;

  /**
   * @param drainMs        how long a graceful stop waits for requests under way
   * @param operatorTokens the operator secret's tokens: admin and service
   * @param online         the registry, for stats (null without the admin role)
   * @param adminRole      whether to serve the admin API and the console (else only health and metrics)
   * @param features       routes of the other features, mounted behind authentication
   * @param queues         the features' queues, listed by {@code GET /admin/stats}
   * @param readiness      each role of the node with its readiness check, for {@code /health/ready}
   */
  public AdminHttpVerticle(NodeInfo node, Stores stores, Membership membership, Lifecycle lifecycle, AdminConfig cfg,
                           long drainMs, Tokens operatorTokens, OnlineState online, boolean adminRole,
                           List<AdminRoutes> features, List<QueueDepth> queues,
                           Map<String, Supplier<Future<Void>>> readiness) {
    this.node = node;
    this.stores = stores;
    this.membership = membership;
    this.lifecycle = lifecycle;
    this.cfg = cfg;
    this.drainMs = drainMs;
    this.operatorTokens = operatorTokens;
    this.online = online;
    this.adminRole = adminRole;
    this.features = features;
    this.queues = queues;
    this.readiness = readiness;
  }

  @Override
  public Future<?> start() {
    Router router = Router.router(vertx);
    router.route().handler(new RequestLog(node.id(), cfg));
    router.route().handler(new CanonicalPath());
    new HealthRoutes(node, stores, membership, readiness).mount(router);
    if (adminRole) {
      mountAdmin(router);
    }
    router.route().last().handler(rc -> Http.error(rc,
        ErrorCode.NOT_FOUND.error("no route " + rc.request().method() + " " + rc.request().path())));
    router.route().failureHandler(rc -> {
      // A request paused for authentication and refused before its body was read: drop the rest.
      rc.request().resume();
      if (rc.statusCode() == 413) {
        Http.error(rc, ErrorCode.TOO_LARGE.error("body over " + BODY_LIMIT + " bytes"));
      } else {
        Http.error(rc, rc.failure() != null ? rc.failure() : ErrorCode.BAD_REQUEST.error("HTTP " + rc.statusCode()));
      }
    });
    server = vertx.createHttpServer(new HttpServerOptions().setHost(cfg.host()).setPort(cfg.port()))
        .requestHandler(router);
    return server.listen().onSuccess(s -> LOG.info("{} on node {} at http://{}:{}", adminRole
        ? "admin HTTP and console" : "health and metrics", node.id(), cfg.host(), s.actualPort()));
  }

  private void mountAdmin(Router router) {
    AuditLog audit = new AuditLog(stores.db());
    OperatorStore operators = new OperatorStore(vertx, stores.db());
    ConsoleSessions sessions = new ConsoleSessions(stores.db(), cfg.sessionSeconds());
    new ConsoleRoutes(node, stores, cfg, operators, sessions, audit).mount(router);
    AdminAuth auth = new AdminAuth(operatorTokens, sessions, audit);
    router.route("/admin/*").handler(auth);
    router.route("/internal/*").handler(auth);
    // Bodies are read only once the caller is known, so a stranger cannot make the node buffer them.
    router.route().handler(BodyHandler.create().setBodyLimit(BODY_LIMIT));
    List<AdminRoutes> all = new ArrayList<>();
    all.add(new StatsRoutes(node.id(), membership, online, queues));
    all.add(new AuditRoutes(audit));
    all.add(new OperatorRoutes(operators));
    all.addAll(features);
    all.forEach(r -> r.mount(router));
  }

  /** Requests under way are answered (up to {@code node.drainMs}) before connections close. */
  @Override
  public Future<?> stop() {
    return lifecycle.halting() ? server.close()
        : server.shutdown(drainMs, TimeUnit.MILLISECONDS);
  }

  public int port() {
    return server.actualPort();
  }
}
