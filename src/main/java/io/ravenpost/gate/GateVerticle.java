package io.ravenpost.gate;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Frames;
import io.ravenpost.api.KickReason;
import io.ravenpost.common.InFlight;
import io.ravenpost.common.NodeContext;
import io.ravenpost.common.config.GateConfig;
import io.ravenpost.online.MessageRouter;
import io.ravenpost.online.NodeLease;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
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

  private final NodeContext ctx;
  private final GateConfig cfg;
  private final OnlineState online;
  private final MessageRouter router;
  private SessionTable sessions;
  private NodeLease lease;
  private NodeInbox inbox;
  private FramePipeline pipeline;
  private HttpServer wsServer;
  private NetServer tcpServer;
  private long sweepTimer;
  private long reconcileTimer;
  private InFlight openOps;
  private Admission admission;
  /** Set by a graceful stop: no new connections or requests; those under way are answered first. */
  private volatile boolean stopping;

  public GateVerticle(NodeContext ctx, OnlineState online, MessageRouter router) {
    this.ctx = ctx;
    this.cfg = ctx.config().gate();
    this.online = online;
    this.router = router;
  }

  @Override
  public Future<?> start() {
    openOps = new InFlight(vertx);
    GateMetrics metrics = new GateMetrics(ctx.metrics());
    GateOps ops = new GateOps(ctx, online, new LoginFlow(ctx, online, router));
    sessions = new SessionTable(ctx, ops, metrics);
    lease = online.lease(sessions::size, sessions::reassert, this::fence);
    inbox = new NodeInbox(ctx.nodeId(), online, sessions, lease, new Broadcasts(ctx, sessions, lease));
    admission = new Admission(vertx, cfg, ctx.metrics());
    pipeline = new FramePipeline(cfg, ops, metrics, lease, openOps, () -> stopping, admission);
    // Sweep at half the idle limit so a silent connection is closed within 1.5x the limit.
    long sweepMs = Math.min(5000, TimeUnit.SECONDS.toMillis(cfg.idleTimeoutSeconds()) / 2);
    sweepTimer = vertx.setPeriodic(sweepMs, id -> sessions.sweep());
    reconcileTimer = vertx.setPeriodic(ctx.config().online().reconcileMs(), id -> sessions.reconcile(online)
        .onFailure(t -> LOG.warn("reconcile on node {} failed ({}); next round in {} ms", ctx.nodeId(),
            t.getMessage(), ctx.config().online().reconcileMs())));
    wsServer = vertx.createHttpServer(new HttpServerOptions()
            .setHost(cfg.host()).setPort(cfg.wsPort())
            .setMaxWebSocketFrameSize(cfg.maxFrameBytes())
            .setMaxWebSocketMessageSize(cfg.maxFrameBytes())
            // Per-message deflate costs two zlib streams per connection (hundreds of KB native);
            // frames here are small, so it buys nothing.
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false)
            // Writes go straight to the channel instead of through a per-connection MPSC queue
            // (~9 KB each); Session.send keeps every write on the connection's event loop.
            .setStrictThreadMode(true)
            .setTcpNoDelay(true)
            // Without h2c the connection exists from its first byte, so Admission counts and times
            // sockets that never send a request; with it Vert.x waits for the request's headers.
            .setHttp2ClearTextEnabled(false))
        .connectionHandler(admission::onHttpConnection)
        .webSocketHandler(this::onWebSocket);
    tcpServer = vertx.createNetServer(new NetServerOptions().setHost(cfg.host()).setPort(cfg.tcpPort())
            .setTcpNoDelay(true))
        .connectHandler(this::onTcp);
    return lease.start()
        .compose(v -> inbox.start(vertx))
        .compose(v -> Future.all(wsServer.listen(), tcpServer.listen()))
        .onSuccess(v -> LOG.info("gate on node {} listening: ws={} tcp={}", ctx.nodeId(),
            wsServer.actualPort(), tcpServer.actualPort()));
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
   * Graceful stop: new connections and requests are refused ({@code UNAVAILABLE}), requests under
   * way get their answers (up to {@code node.drainMs}), then every session is told SHUTDOWN and
   * its entry released before the lease goes.
   */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    vertx.cancelTimer(reconcileTimer);
    if (ctx.crashed()) {
      return Future.all(wsServer.close(), tcpServer.close(), inbox.stop()).compose(v -> lease.stop(false));
    }
    stopping = true;
    LOG.info("gate on node {} stopping: waiting for {} requests under way", ctx.nodeId(), openOps.size());
    return openOps.drained(ctx.config().node().drainMs())
        .compose(left -> {
          if (left > 0) {
            LOG.warn("gate on node {}: {} requests still unanswered after {} ms; closing anyway", ctx.nodeId(), left,
                ctx.config().node().drainMs());
          }
          LOG.info("gate on node {} stopping: {} sessions told SHUTDOWN", ctx.nodeId(), sessions.size());
          return sessions.kickAll(KickReason.SHUTDOWN)
              .timeout(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS)
              .recover(t -> Future.succeededFuture());
        })
        .compose(v -> Future.join(wsServer.close(), tcpServer.close(), inbox.stop()))
        .compose(v -> lease.stop(true));
  }

  private void onWebSocket(ServerWebSocket ws) {
    admission.upgraded(ws.remoteAddress());
    if (!"/ws".equals(ws.path())) {
      ws.close((short) 1008, "unknown path");
      return;
    }
    if (stopping) {
      ws.close((short) 1012, "node shutting down");
      return;
    }
    if (sessions.size() >= cfg.maxSessions()) {
      ws.close((short) 1013, "node full");
      return;
    }
    Session s = sessions.open(new WsConnection(ws, cfg.maxQueuedBytes()), false, vertx.getOrCreateContext());
    admission.loginDeadline(s);
    ws.textMessageHandler(text -> pipeline.onFrame(s, Buffer.buffer(text), false));
    ws.binaryMessageHandler(bin -> pipeline.onFrame(s, bin, true));
    ws.exceptionHandler(t -> LOG.debug("ws error {}: {}", s.logId(), t.getMessage()));
    ws.closeHandler(v -> sessions.closed(s));
  }

  private void onTcp(NetSocket socket) {
    SocketAddress remote = socket.remoteAddress();
    if (stopping || sessions.size() >= cfg.maxSessions() || !admission.enter(remote)) {
      socket.close();
      return;
    }
    TcpConnection conn = new TcpConnection(socket, cfg.maxQueuedBytes());
    Session s = sessions.open(conn, true, vertx.getOrCreateContext());
    admission.loginDeadline(s);
    // Before the login reply a frame carries a token: the small limit keeps a stranger's buffer small.
    IntSupplier limit = () -> s.online() ? cfg.maxFrameBytes() : cfg.preLoginMaxFrameBytes();
    conn.readFrames(limit, buf -> pipeline.onFrame(s, buf, true), len -> {
      s.send(Frames.error(null, len <= 0 ? ErrorCode.BAD_REQUEST : ErrorCode.TOO_LARGE,
          "frame length " + len + " outside 1.." + limit.getAsInt()));
      socket.close();
    });
    socket.exceptionHandler(t -> LOG.debug("tcp error {}: {}", s.logId(), t.getMessage()));
    socket.closeHandler(v -> {
      admission.leave(remote);
      sessions.closed(s);
    });
  }

  /**
   * The lease could not be renewed and may soon expire: other nodes would then let this node's
   * players log in elsewhere. Closing every session now keeps one account to one session; the
   * clients are told SHUTDOWN, so they reconnect (through the load balancer, to any node).
   */
  private void fence() {
    LOG.warn("gate on node {}: {} sessions closed (lease not renewed in time)", ctx.nodeId(), sessions.size());
    sessions.kickAll(KickReason.SHUTDOWN);
  }
}
