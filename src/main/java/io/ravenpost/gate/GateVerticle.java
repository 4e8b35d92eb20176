package io.ravenpost.gate;

import io.micrometer.core.instrument.Timer;
import io.ravenpost.common.ErrorCode;
import io.ravenpost.common.Errors;
import io.ravenpost.common.FrameCodec;
import io.ravenpost.common.InFlight;
import io.ravenpost.common.NodeContext;
import io.ravenpost.common.RavenConfig.GateConfig;
import io.ravenpost.common.RavenException;
import io.ravenpost.online.Evictions;
import io.ravenpost.online.NodeLease;
import io.ravenpost.online.OnlineRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts client connections (WebSocket and TCP), authenticates them, keeps this node's sessions,
 * answers heartbeats, forwards mail and presence ops to their roles, and delivers pushes and
 * kicks that arrive on this node's single address.
 */
public final class GateVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(GateVerticle.class);
  private static final long LOGIN_GRACE_MS = 30_000;
  private static final long SHUTDOWN_WAIT_MS = 5000;

  private final NodeContext ctx;
  private final GateConfig cfg;
  private final OnlineRegistry registry;
  private final NodeLease lease;
  private final Evictions evictions;
  private final LoginFlow login;
  private final GateOps ops;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Consumer<Session> slowConsumer = this::closeSlowConsumer;
  private HttpServer wsServer;
  private NetServer tcpServer;
  private MessageConsumer<JsonObject> nodeConsumer;
  private long sweepTimer;
  private InFlight openOps;
  /** Set by a graceful stop: no new connections or requests; those under way are answered first. */
  private boolean stopping;
  private GateMetrics metrics;

  public GateVerticle(NodeContext ctx) {
    this.ctx = ctx;
    this.cfg = ctx.config().gate();
    this.registry = new OnlineRegistry(ctx);
    this.lease = new NodeLease(registry, () -> sessions.size(), this::reassert, this::fence);
    this.evictions = new Evictions(registry);
    this.login = new LoginFlow(ctx, registry, evictions);
    this.ops = new GateOps(ctx, registry, login);
  }

  @Override
  public Future<?> start() {
    openOps = new InFlight(vertx);
    metrics = new GateMetrics(ctx.metrics(), sessions);
    nodeConsumer = vertx.eventBus().consumer(GateAddresses.node(ctx.nodeId()), this::onNodeMessage);
    // Sweep at half the idle limit so a silent connection is closed within 1.5x the limit.
    long sweepMs = Math.min(5000, TimeUnit.SECONDS.toMillis(cfg.idleTimeoutSeconds()) / 2);
    sweepTimer = vertx.setPeriodic(sweepMs, id -> sweep());
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
            .setTcpNoDelay(true))
        .webSocketHandler(this::onWebSocket);
    tcpServer = vertx.createNetServer(new NetServerOptions().setHost(cfg.host()).setPort(cfg.tcpPort())
            .setTcpNoDelay(true))
        .connectHandler(this::onTcp);
    return lease.start()
        .compose(v -> evictions.start((uid, sid) -> kick(uid, sid, "LOGIN_ELSEWHERE")))
        .compose(v -> Future.all(wsServer.listen(), tcpServer.listen(), nodeConsumer.completion()))
        .onSuccess(v -> LOG.info("gate on node {} listening: ws={} tcp={}", ctx.nodeId(),
            wsServer.actualPort(), tcpServer.actualPort()));
  }

  public int wsPort() {
    return wsServer.actualPort();
  }

  public int tcpPort() {
    return tcpServer.actualPort();
  }

  /** How many sessions of {@code uid} this node holds as online owners (stats and invariant checks). */
  public long onlineSessions(long uid) {
    return sessions.values().stream().filter(s -> s.online() && s.uid == uid).count();
  }

  /**
   * Graceful stop: new connections and requests are refused ({@code UNAVAILABLE}), requests under
   * way get their answers (up to {@code node.drainMs}), then every session is told SHUTDOWN and
   * its entry released before the lease goes.
   */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweepTimer);
    if (ctx.crashed()) {
      return Future.all(wsServer.close(), tcpServer.close(), evictions.stop()).compose(v -> lease.stop(false));
    }
    stopping = true;
    LOG.info("gate on node {} stopping: waiting for {} requests under way", ctx.nodeId(), openOps.size());
    return openOps.drained(ctx.config().node().drainMs())
        .compose(left -> {
          if (left > 0) {
            LOG.warn("gate on node {}: {} requests still unanswered after {} ms; closing anyway", ctx.nodeId(), left,
                ctx.config().node().drainMs());
          }
          return kickAll();
        });
  }

  private Future<?> kickAll() {
    List<Future<?>> released = new ArrayList<>();
    for (Session s : List.copyOf(sessions.values())) {
      released.add(closeSession(s, "SHUTDOWN"));
    }
    LOG.info("gate on node {} stopping: {} sessions told SHUTDOWN", ctx.nodeId(), released.size());
    return Future.join(released)
        .timeout(SHUTDOWN_WAIT_MS, TimeUnit.MILLISECONDS)
        .recover(t -> Future.succeededFuture())
        .compose(v -> Future.join(wsServer.close(), tcpServer.close(), nodeConsumer.unregister(), evictions.stop()))
        .compose(v -> lease.stop(true));
  }

  private void onWebSocket(ServerWebSocket ws) {
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
    Session s = open(new WsConnection(ws, cfg.maxQueuedBytes()), false);
    ws.textMessageHandler(text -> onFrame(s, Buffer.buffer(text), false));
    ws.binaryMessageHandler(bin -> onFrame(s, bin, true));
    ws.exceptionHandler(t -> LOG.debug("ws error {}: {}", s.logId(), t.getMessage()));
    ws.closeHandler(v -> onClosed(s));
  }

  private void onTcp(NetSocket socket) {
    if (stopping || sessions.size() >= cfg.maxSessions()) {
      socket.close();
      return;
    }
    TcpConnection conn = new TcpConnection(socket, cfg.maxQueuedBytes());
    Session s = open(conn, true);
    conn.readFrames(cfg.maxFrameBytes(), buf -> onFrame(s, buf, true), len -> {
      metrics.badFrame();
      s.send(Frames.error(null, len <= 0 ? ErrorCode.BAD_REQUEST : ErrorCode.TOO_LARGE,
          "frame length " + len + " outside 1.." + cfg.maxFrameBytes()));
      socket.close();
    });
    socket.exceptionHandler(t -> LOG.debug("tcp error {}: {}", s.logId(), t.getMessage()));
    socket.closeHandler(v -> onClosed(s));
  }

  private Session open(Connection conn, boolean binary) {
    Session s = new Session(Long.toHexString(random.nextLong() | Long.MIN_VALUE), conn, binary, cfg.opsBurst(),
        vertx.getOrCreateContext());
    s.onSlow = slowConsumer;
    sessions.put(s.id, s);
    return s;
  }

  private void onFrame(Session s, Buffer data, boolean binary) {
    long now = System.currentTimeMillis();
    s.lastSeen = now;
    s.binary = binary;
    JsonObject frame;
    try {
      frame = binary ? FrameCodec.decodeMsgpack(data) : FrameCodec.decodeJson(data);
    } catch (RavenException e) {
      metrics.badFrame();
      s.send(Frames.error(null, e.code(), e.getMessage()));
      return;
    }
    Object id = frame.getValue("id");
    if (id != null && !(id instanceof Number) && !(id instanceof String)) {
      s.send(Frames.error(null, ErrorCode.BAD_REQUEST, "id must be a number or a string"));
      return;
    }
    if (!s.allow(cfg.opsPerSecond(), cfg.opsBurst(), now)) {
      refuse(s, id, ErrorCode.RATE_LIMITED, "more than " + cfg.opsPerSecond() + " requests per second");
      return;
    }
    if (stopping) {
      refuse(s, id, ErrorCode.UNAVAILABLE, "node is shutting down; reconnect");
      return;
    }
    if (lease.lapsed()) {
      refuse(s, id, ErrorCode.UNAVAILABLE, "this node lost contact with Redis; retry or reconnect");
      return;
    }
    Object op = frame.getValue("op");
    // A held long poll is a read that may last its whole waitMs: a stop does not wait for it.
    Future<JsonObject> result = op instanceof String name && ClientOps.longPoll(name)
        ? handle(s, op, frame.getValue("body"))
        : openOps.track(() -> handle(s, op, frame.getValue("body")));
    result.onComplete(ar -> {
      if (ar.succeeded()) {
        metrics.replied("ok");
        s.send(Frames.ok(id, ar.result()));
      } else {
        RavenException e = Errors.toRaven(ar.cause());
        metrics.replied(e.code().name());
        if (e.code() == ErrorCode.INTERNAL) {
          LOG.warn("op failed {}: {}", s.logId(), ar.cause().toString());
        }
        s.send(Frames.error(id, e.code(), e.getMessage()));
      }
      // After a login reply: the pushes that came while it was being answered (none otherwise).
      s.releasePushes();
    });
  }

  private void refuse(Session s, Object id, ErrorCode code, String message) {
    metrics.replied(code.name());
    s.send(Frames.error(id, code, message));
  }

  private void closeSlowConsumer(Session s) {
    metrics.slowConsumer();
    LOG.warn("closing {}: more than {} bytes waiting to be written (the client is not reading)", s.logId(),
        cfg.maxQueuedBytes());
    s.close();
  }

  private Future<JsonObject> handle(Session s, Object op, Object body) {
    try {
      return ops.handle(s, op, body);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private void onClosed(Session s) {
    sessions.remove(s.id);
    if (!s.markClosed() || s.uid == 0 || ctx.crashed()) {
      return;
    }
    ops.released(s, "DISCONNECT");
  }

  /** Kick: tell the client why, close it, release its entry; completes once the entry is released. */
  private Future<Boolean> closeSession(Session s, String reason) {
    sessions.remove(s.id);
    boolean first = s.markClosed();
    if (first) {
      metrics.kicked();
      LOG.info("kick {} reason={}", s.logId(), reason);
      s.send(Frames.kicked(reason));
      s.close();
    }
    return s.uid == 0 ? Future.succeededFuture(false) : ops.released(s, reason);
  }

  private void onNodeMessage(Message<JsonObject> msg) {
    String action = msg.headers().get(GateAddresses.ACTION);
    JsonObject body = msg.body();
    if (GateAddresses.PUSH.equals(action)) {
      Session s = sessions.get(body.getString("sessionId"));
      if (s != null && s.online() && !lease.lapsed()) {
        s.push(body.getJsonObject("frame"));
      }
    } else if (GateAddresses.KICK.equals(action)) {
      kick(body.getLong("uid"), body.getString("sessionId"), body.getString("reason", "ADMIN")).onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(new JsonObject().put("released", ar.result()));
        } else {
          Errors.fail(msg, ar.cause());
        }
      });
    } else {
      msg.fail(ErrorCode.BAD_REQUEST.replyCode(), "unknown gate action " + action);
    }
  }

  /** Kicks that session if it is here; an entry whose session is gone is released all the same. */
  private Future<Boolean> kick(long uid, String sessionId, String reason) {
    Session s = sessions.get(sessionId);
    return s != null && s.uid == uid ? closeSession(s, reason) : registry.release(uid, ctx.nodeId(), sessionId);
  }

  /**
   * The lease was gone (Redis flushed or restarted): put back the entries of this node's online
   * sessions. A session whose uid meanwhile belongs to another live session is closed, so one
   * account still has one session.
   */
  private void reassert() {
    for (Session s : List.copyOf(sessions.values())) {
      if (!s.online()) {
        continue;
      }
      registry.tryClaim(s.uid, ctx.nodeId(), s.id).onSuccess(r -> {
        boolean ours = r.claimed() || (r.owner() != null && r.owner().sessionId().equals(s.id)
            && r.owner().node().equals(ctx.nodeId()));
        if (!ours) {
          closeSession(s, "LOGIN_ELSEWHERE");
        }
      });
    }
  }

  /**
   * The lease could not be renewed and may soon expire: other nodes would then let this node's
   * players log in elsewhere. Closing every session now keeps one account to one session; the
   * clients are told SHUTDOWN, so they reconnect (through the load balancer, to any node).
   */
  private void fence() {
    List<Session> all = List.copyOf(sessions.values());
    all.forEach(s -> closeSession(s, "SHUTDOWN"));
    LOG.warn("gate on node {}: {} sessions closed (lease not renewed in time)", ctx.nodeId(), all.size());
  }

  /** Closes connections idle past the limit, and connections that never logged in. */
  private void sweep() {
    long now = System.currentTimeMillis();
    long idle = TimeUnit.SECONDS.toMillis(cfg.idleTimeoutSeconds());
    for (Session s : sessions.values()) {
      boolean silent = now - s.lastSeen > idle;
      boolean neverLoggedIn = s.state == Session.State.CONNECTED && now - s.connectedAt > LOGIN_GRACE_MS;
      if (silent || neverLoggedIn) {
        LOG.info("closing {}: {}", s.logId(), silent ? "silent for " + idle + " ms" : "no login");
        s.close();
      }
    }
  }
}
