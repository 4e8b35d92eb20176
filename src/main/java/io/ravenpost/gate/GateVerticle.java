package io.ravenpost.gate;

import io.ravenpost.api.mail.MailSessions;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.KickReason;
import io.ravenpost.api.NodeRole;
import io.ravenpost.common.InFlight;
import io.ravenpost.common.Lifecycle;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Tokens;
import io.ravenpost.common.config.NodeConfig;
import io.ravenpost.online.MessageRouter;
import io.ravenpost.online.NodeLease;
import io.ravenpost.online.OnlineConfig;
import io.ravenpost.online.OnlineState;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate's listeners (WebSocket and TCP) and lifecycle. Connections become sessions in the
 * {@link SessionTable}; their frames go through the {@link FramePipeline}; pushes and kicks for
 * them arrive at the {@link NodeInbox}; the node's lease fences all of it.
 */
public final class GateVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GateVerticle.class);
  private static final long SHUTDOWN_WAIT_MS = 5000;

  private final NodeInfo node;
  private final Lifecycle lifecycle;
  private final NodeConfig nodeCfg;
  private final OnlineConfig onlineCfg;
  private final Tokens tokens;
  private final GateConfig cfg;
  private final OnlineState online;
  private final MessageRouter router;
  private final MailSessions localMail;
  private SessionTable sessions;
  private NodeLease lease;
  private NodeInbox inbox;
  private FramePipeline pipeline;
  private HttpServer wsServer;
  private NetServer tcpServer;
  private long sweepTimer;
  private long reconcileTimer;
  private InFlight openOps;
  private GateMetrics metrics;
  private Admission admission;
  /** The deployment of the gate's other event loops ("" when it runs on one). */
  private String listeners = "";
  /** Set by a graceful stop: no new connections or requests; those under way are answered first. */
  private volatile boolean stopping;
  private Future<Void> quiesced;

  /**
   * @param tokens    the player secret's tokens, which logins carry
   * @param localMail this node's mail role, called in place for heartbeats; null when the node has none
   */
  public GateVerticle(NodeInfo node, Lifecycle lifecycle, NodeConfig nodeCfg, GateConfig cfg, OnlineConfig onlineCfg,
                      Tokens tokens, OnlineState online, MessageRouter router, MailSessions localMail) {
    this.node = node;
    this.lifecycle = lifecycle;
    this.nodeCfg = nodeCfg;
    this.cfg = cfg;
    this.onlineCfg = onlineCfg;
    this.tokens = tokens;
    this.online = online;
    this.router = router;
    this.localMail = localMail;
  }

  @Override
  public Future<?> start() {
    openOps = new InFlight(vertx);
    metrics = new GateMetrics(node.metrics());
    GateOps ops = new GateOps(node, nodeCfg, tokens, online, new LoginFlow(node, cfg, onlineCfg, online, router),
        localMail, metrics);
    sessions = new SessionTable(node, lifecycle, cfg, ops, metrics);
    lease = online.lease(sessions::size, sessions::reassert, this::fence);
    inbox = new NodeInbox(node.id(), online, sessions, lease, new Broadcasts(node, nodeCfg.has(NodeRole.MAIL), sessions, lease));
    admission = new Admission(vertx, cfg, node.metrics());
    pipeline = new FramePipeline(cfg, ops, metrics, lease, openOps, () -> stopping, admission);
    // Sweep at half the idle limit so a silent connection is closed within 1.5x the limit.
    long sweepMs = Math.min(5000, TimeUnit.SECONDS.toMillis(cfg.idleTimeoutSeconds()) / 2);
    sweepTimer = vertx.setPeriodic(sweepMs, id -> sessions.sweep());
    reconcileTimer = vertx.setPeriodic(onlineCfg.reconcileMs(), id -> sessions.reconcile(online)
        .onFailure(t -> LOG.warn("reconcile on node {} failed ({}); next round in {} ms", node.id(),
            t.getMessage(), onlineCfg.reconcileMs())));
    Sockets sockets = new Sockets(cfg, sessions, pipeline, admission, () -> stopping);
    // Vert.x shares a listening socket between servers of one port; port 0 is never shared, but
    // every server asking for -N shares one free port (HTTP and TCP servers share one table, so
    // the two listeners take -1 and -2), which is what 0 means here.
    int wsPort = cfg.wsPort() == 0 ? -1 : cfg.wsPort();
    int tcpPort = cfg.tcpPort() == 0 ? -2 : cfg.tcpPort();
    wsServer = sockets.wsServer(vertx, wsPort);
    tcpServer = sockets.tcpServer(vertx, tcpPort);
    int loops = cfg.eventLoops() > 0 ? cfg.eventLoops() : Runtime.getRuntime().availableProcessors();
    return lease.start()
        .compose(v -> inbox.start(vertx))
        .compose(v -> Future.all(wsServer.listen(), tcpServer.listen()))
        .compose(v -> loops == 1 ? Future.succeededFuture("") : vertx.deployVerticle(
            () -> new GateListener(sockets, wsPort, tcpPort),
            new DeploymentOptions().setInstances(loops - 1)))
        .onSuccess(id -> {
          listeners = id;
          metrics.eventLoops(loops);
          LOG.info("gate on node {} listening on {} event loops: ws={} tcp={}", node.id(), loops,
              wsServer.actualPort(), tcpServer.actualPort());
        });
  }

  /** Ready while it takes logins: not stopping, and its node lease is held (not fenced off Redis). */
  public Future<Void> readiness() {
    if (stopping) {
      return Future.failedFuture(ErrorCode.UNAVAILABLE.error("stopping"));
    }
    return lease.lapsed() ? Future.failedFuture(ErrorCode.UNAVAILABLE.error("node lease lapsed"))
        : Future.succeededFuture();
  }

  public int wsPort() {
    return wsServer.actualPort();
  }

  public int tcpPort() {
    return tcpServer.actualPort();
  }

  /** How many sessions of {@code uid} this node holds as online owners (stats and invariant checks). */
  public long onlineSessions(long uid) {
    return sessions.onlineSessions(uid);
  }

  /**
   * The first half of a graceful stop, run before anything is undeployed (Vert.x undeploys the
   * listeners on the other event loops before this verticle's stop, closing their connections
   * untold): new connections and requests are refused ({@code UNAVAILABLE}), requests under way
   * get their answers (up to {@code node.drainMs}), then every session is told SHUTDOWN and its
   * entry released. Runs once; {@link #stop} runs it too when nothing did before.
   */
  public synchronized Future<Void> quiesce() {
    if (quiesced == null) {
      quiesced = drainAndTell();
    }
    return quiesced;
  }

  private Future<Void> drainAndTell() {
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(reconcileTimer);
    stopping = true;
    LOG.info("gate on node {} stopping: waiting for {} requests under way", node.id(), openOps.size());
    return openOps.drained(nodeCfg.drainMs())
        .compose(left -> {
          if (left > 0) {
            LOG.warn("gate on node {}: {} requests still unanswered after {} ms; closing anyway", node.id(), left,
                nodeCfg.drainMs());
          }
          LOG.info("gate on node {} stopping: {} sessions told SHUTDOWN", node.id(), sessions.size());
          return sessions.kickAll(KickReason.SHUTDOWN)
              .timeout(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS)
              .<Void>mapEmpty()
              .recover(t -> Future.succeededFuture());
        });
  }

  @Override
  public Future<?> stop() {
    if (lifecycle.halting()) {
      vertx.cancelTimer(sweepTimer);
      vertx.cancelTimer(reconcileTimer);
      return Future.all(closeListeners(), inbox.stop()).compose(v -> lease.stop(false));
    }
    return quiesce()
        .compose(v -> Future.join(closeListeners(), inbox.stop()))
        .compose(v -> lease.stop(true));
  }

  private Future<?> closeListeners() {
    // Vert.x may have undeployed the listeners already (they are this verticle's children): an
    // "unknown deployment" here must not stop the lease from being released after.
    Future<Void> others = listeners.isEmpty() ? Future.succeededFuture()
        : vertx.undeploy(listeners).recover(t -> Future.succeededFuture());
    return Future.join(wsServer.close(), tcpServer.close(), others);
  }

  /**
   * The lease could not be renewed and may soon expire: other nodes would then let this node's
   * players log in elsewhere. Closing every session now keeps one account to one session; the
   * clients are told SHUTDOWN, so they reconnect (through the load balancer, to any node).
   */
  private void fence() {
    LOG.warn("gate on node {}: {} sessions closed (lease not renewed in time)", node.id(), sessions.size());
    sessions.kickAll(KickReason.SHUTDOWN);
  }
}
