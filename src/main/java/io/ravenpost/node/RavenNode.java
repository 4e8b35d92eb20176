package io.ravenpost.node;

import io.ravenpost.admin.AdminHttpVerticle;
import io.ravenpost.api.NodeRole;
import io.ravenpost.api.node.NodeAddresses;
import io.ravenpost.api.node.Pong;
import io.ravenpost.api.online.OnlineChanged;
import io.ravenpost.common.Bus;
import io.ravenpost.common.Db;
import io.ravenpost.common.HeldRedisClient;
import io.ravenpost.common.Job;
import io.ravenpost.common.Lifecycle;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.common.Tokens;
import io.ravenpost.common.config.NodeConfig;
import io.ravenpost.common.logging.LogContext;
import io.ravenpost.common.logging.Logging;
import io.ravenpost.gate.GateVerticle;
import io.ravenpost.grants.Grants;
import io.ravenpost.mail.MailModule;
import io.ravenpost.mail.MailVerticle;
import io.ravenpost.online.MessageRouter;
import io.ravenpost.online.OnlineJobs;
import io.ravenpost.online.OnlineState;
import io.ravenpost.online.OnlineStateVerticle;
import io.ravenpost.online.impl.EventBusRouter;
import io.ravenpost.online.impl.RedisOnlineState;
import io.ravenpost.schedule.Schedules;
import io.ravenpost.stats.HistorySampler;
import io.ravenpost.scheduler.SchedulerVerticle;
import io.ravenpost.watch.WatchJobs;
import io.ravenpost.watch.WatchVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.redis.client.Redis;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Ravenpost node: a (clustered) Vert.x with the roles its config names. Ready when every
 * verticle is; stops gracefully (sessions told SHUTDOWN, entries released), or, when its lifecycle
 * says it is halting, without a goodbye.
 */
public final class RavenNode {
  private static final Logger LOG = LoggerFactory.getLogger(RavenNode.class);
  /** Between a node's configured id and its incarnation (the start time) in its runtime id. */
  static final String INCARNATION = "~";
  /** Lease renewals, the eviction queue's blocking pop, and a spare. */
  private static final int CONTROL_CONNECTIONS = 3;

  private final NodeContext ctx;
  private final NodeMetrics nodeMetrics;
  private final HazelcastClusterManager cluster;
  private final List<String> deployments = new ArrayList<>();
  private final OnlineState online;
  private GateVerticle gate;
  private AdminHttpVerticle admin;

  private RavenNode(NodeContext ctx, NodeMetrics nodeMetrics, HazelcastClusterManager cluster) {
    this.ctx = ctx;
    this.nodeMetrics = nodeMetrics;
    this.cluster = cluster;
    this.online = new RedisOnlineState(ctx.info(), ctx.stores(), ctx.config().online());
  }

  public static Future<RavenNode> start(RavenConfig cfg) {
    return start(cfg, Lifecycle.GRACEFUL);
  }

  /**
   * Starts a node whose way of going away {@code lifecycle} tells: a test that kills nodes gives one
   * it can switch to halting, so the node's stop leaves everything as a killed process would.
   */
  public static Future<RavenNode> start(RavenConfig cfg, Lifecycle lifecycle) {
    long t0 = System.currentTimeMillis();
    String configured = cfg.node().id().isEmpty() ? newNodeId() : cfg.node().id();
    // Each start is an incarnation of its own: a node restarted within its lease must not keep its
    // earlier life's sessions "live", nor mistake that life's unfinished online walks for its own.
    String nodeId = configured + INCARNATION + Long.toString(System.currentTimeMillis(), 36);
    Logging.apply(cfg.log());
    LogContext.jvmNode(nodeId);
    // Metrics keep the configured id, so their node tag stays the same across restarts.
    NodeMetrics nodeMetrics = new NodeMetrics(configured);
    var metrics = nodeMetrics.registry();
    VertxOptions options = new VertxOptions()
        .setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true))
        .setEventBusOptions(ClusterSetup.eventBus(cfg.cluster()));
    var builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory(metrics));
    HazelcastClusterManager cluster = cfg.cluster().enabled()
        ? new HazelcastClusterManager(ClusterSetup.hazelcast(cfg.cluster(), nodeId)) : null;
    Future<Vertx> vertxFuture = cluster == null ? Future.succeededFuture(builder.build())
        : builder.withClusterManager(cluster).buildClustered();
    return vertxFuture.compose(vertx -> {
      Redis redis = Redis.createClient(vertx, cfg.redis().options(cfg.redis().poolSize())
          .setMaxPoolWaiting(100_000)
          .setMaxWaitingHandlers(100_000));
      Redis control = Redis.createClient(vertx, cfg.redis().options(controlConnections(cfg.redis().clustered()))
          .setMaxPoolWaiting(1000));
      // Held connections that pipeline: a pooled connection per command capped a node at poolSize
      // commands in flight (see HeldRedisClient).
      redis = new HeldRedisClient(vertx, redis, Math.max(1, cfg.redis().poolSize() / 4));
      if (cfg.redis().clustered()) {
        control = new HeldRedisClient(vertx, control, 1);
      }
      Stores stores = new Stores(Db.connect(vertx, cfg.mysql(), metrics), redis, control, cfg.redis().prefix(),
          cfg.redis().clustered());
      NodeContext ctx = new NodeContext(new NodeInfo(nodeId, vertx, metrics), cfg, stores,
          new HazelcastMembership(nodeId, vertx, cluster), lifecycle,
          // Only the gate verifies player tokens: other nodes never ask the account service for keys.
          Tokens.player(vertx, cfg.jwt(), cfg.node().has(NodeRole.GATE), metrics),
          new Tokens(vertx, cfg.admin().jwtSecret(), cfg.jwt().leewaySeconds()));
      RavenNode node = new RavenNode(ctx, nodeMetrics, cluster);
      // A failed start closes its Vert.x before it tells why, so it tells through a promise of no
      // context: a future bound to one of that Vert.x's event loops would never be heard once the
      // loop has stopped (the caller waited out its own time-out instead).
      Promise<RavenNode> outcome = Promise.promise();
      Bus.serve(vertx, NodeAddresses.ping(nodeId), null, (v, h) -> Future.succeededFuture(new Pong(nodeId)))
          .completion()
          .compose(v -> stores.db().migrate())
          .compose(v -> node.deployRoles())
          .compose(v -> node.retirePredecessors(configured))
          .onSuccess(v -> LOG.info("node {} ready in {} ms with roles {}", nodeId,
              System.currentTimeMillis() - t0, cfg.node().names()))
          .onSuccess(v -> outcome.complete(node))
          .onFailure(t -> failStart(vertx, nodeMetrics, outcome, t));
      return outcome.future();
    });
  }

  /**
   * Per Redis node. On a cluster the control client also holds a connection of its own for lease
   * deletes and eviction pushes, and the lease and that one each take a second while replacing a
   * broken one.
   */
  private static int controlConnections(boolean clustered) {
    return clustered ? CONTROL_CONNECTIONS + 3 : CONTROL_CONNECTIONS;
  }

  /** Closes the Vert.x of a node that failed to start, then tells {@code outcome} why it failed. */
  private static void failStart(Vertx vertx, NodeMetrics metrics, Promise<RavenNode> outcome, Throwable why) {
    vertx.close().onComplete(closed -> {
      metrics.close();
      outcome.fail(why);
    });
  }

  private Future<Void> deployRoles() {
    RavenConfig cfg = ctx.config();
    NodeConfig roles = cfg.node();
    NodeInfo info = ctx.info();
    MessageRouter router = new EventBusRouter(info.vertx(), online);
    MailModule mail = roles.has(NodeRole.MAIL) || roles.has(NodeRole.SCHEDULER) || roles.has(NodeRole.ADMIN)
        ? new MailModule(info, ctx.stores(), cfg.mail(), cfg.global(), roles.drainMs(), online, router) : null;
    Grants grants = new Grants(info, ctx.stores(), cfg.grants());
    Future<Void> chain = Future.succeededFuture();
    if (roles.has(NodeRole.ONLINE)) {
      chain = chain.compose(v -> deploy(new OnlineStateVerticle(online, router)));
      chain = chain.compose(v -> deploy(new WatchVerticle(info, ctx.lifecycle(), cfg.watch(), online)));
    }
    if (roles.has(NodeRole.SCHEDULER)) {
      List<Job> jobs = new ArrayList<>(mail.jobs().all(cfg.scheduler()));
      jobs.addAll(OnlineJobs.of(cfg.scheduler(), online));
      jobs.addAll(WatchJobs.of(cfg.scheduler(), info.vertx()));
      jobs.addAll(new Schedules(info, ctx.stores(), cfg.schedule()).jobs(cfg.scheduler()));
      jobs.addAll(grants.jobs());
      chain = chain.compose(v -> deploy(new SchedulerVerticle(info, ctx.stores(), jobs, roles.drainMs())));
    }
    if (roles.has(NodeRole.MAIL)) {
      chain = chain.compose(v -> deploy(new MailVerticle(mail)));
      chain = chain.compose(v -> deploy(grants.verticle()));
    }
    if (roles.has(NodeRole.GATE)) {
      gate = new GateVerticle(info, ctx.lifecycle(), roles, cfg.gate(), cfg.online(), ctx.tokens(), online, router,
          roles.has(NodeRole.MAIL) ? mail.sessions() : null);
      chain = chain.compose(v -> deploy(gate));
      chain = chain.compose(v -> deploy(new HistorySampler(info, ctx.stores(), cfg.stats())));
    }
    // Every node serves health and metrics on the admin port; the admin API only with the admin role.
    boolean adminRole = roles.has(NodeRole.ADMIN);
    admin = new AdminHttpVerticle(info, ctx.stores(), ctx.membership(), ctx.lifecycle(), cfg.admin(), roles.drainMs(),
        ctx.operatorTokens(), online, adminRole, adminRole ? Features.adminRoutes(ctx, mail, grants) : List.of(),
        adminRole ? mail.queues() : List.of(), Readiness.of(ctx, gate));
    return chain.compose(v -> deploy(admin));
  }

  /** Earlier lives of this node id are dead (this is their successor): their sessions go offline now. */
  private Future<Void> retirePredecessors(String configured) {
    return online.retire(configured + INCARNATION, ctx.nodeId())
        .onSuccess(gone -> {
          if (!gone.isEmpty()) {
            LOG.info("node {}: {} sessions of its earlier incarnations went offline", ctx.nodeId(), gone.size());
          }
          gone.forEach(e -> online.announce(new OnlineChanged(e.uid(), false, e.node(), e.sessionId(),
              System.currentTimeMillis())));
        })
        .<Void>mapEmpty()
        .recover(t -> {
          LOG.warn("node {}: earlier incarnations not retired ({}); their leases run out by themselves",
              ctx.nodeId(), t.getMessage());
          return Future.succeededFuture();
        });
  }

  private Future<Void> deploy(Deployable verticle) {
    return ctx.vertx().deployVerticle(verticle).onSuccess(deployments::add).mapEmpty();
  }

  /** Graceful stop: the gate goes first (kicks with SHUTDOWN, releases entries), then the rest. */
  public Future<Void> stop() {
    List<String> reversed = new ArrayList<>(deployments);
    Collections.reverse(reversed);
    // Sessions are told before anything is undeployed: undeploying the gate closes the listeners
    // of its other event loops, and their connections, before the gate's own stop runs.
    Future<Void> chain = gate == null ? Future.succeededFuture()
        : gate.quiesce().recover(t -> Future.succeededFuture());
    for (String id : reversed) {
      chain = chain.compose(v -> ctx.vertx().undeploy(id)
          .recover(t -> {
            LOG.warn("undeploy {} failed: {}", id, t.getMessage());
            return Future.succeededFuture();
          }));
    }
    return chain
        .compose(v -> ctx.stores().close())
        .eventually(() -> ctx.vertx().close())
        .onComplete(ar -> {
          nodeMetrics.close();
          LOG.info("node {} stopped", ctx.nodeId());
        });
  }

  /** The Hazelcast side of this node, or null when it runs without a cluster. */
  public HazelcastClusterManager clusterManager() {
    return cluster;
  }

  /** Releases the node's metrics once its Vert.x is gone, whichever way it went. */
  public void metricsClosed() {
    nodeMetrics.close();
  }

  /** This node's view of the account registry. */
  public OnlineState online() {
    return online;
  }

  public NodeContext context() {
    return ctx;
  }

  public String nodeId() {
    return ctx.nodeId();
  }

  public int wsPort() {
    return gate.wsPort();
  }

  public int tcpPort() {
    return gate.tcpPort();
  }

  /** Online sessions of {@code uid} on this node: at most one across the whole cluster. */
  public long onlineSessions(long uid) {
    return gate == null ? 0 : gate.onlineSessions(uid);
  }

  public int adminPort() {
    return admin.port();
  }

  private static String newNodeId() {
    return "n" + Long.toHexString(new SecureRandom().nextLong() & 0xffffffffffL);
  }
}
