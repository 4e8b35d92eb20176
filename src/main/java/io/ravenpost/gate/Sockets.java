package io.ravenpost.gate;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Frames;
import io.ravenpost.gate.GateConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gate's two listeners (WebSocket and length-prefixed TCP) and what a new socket goes
 * through to become a {@link Session}. Every event loop of the gate creates its own pair on the
 * same ports ({@link GateListener}); Vert.x spreads accepted sockets over them, and a session
 * lives on the loop that accepted it.
 */
final class Sockets {
  private static final Logger LOG = LoggerFactory.getLogger(Sockets.class);

  private final GateConfig cfg;
  private final SessionTable sessions;
  private final FramePipeline pipeline;
  private final Admission admission;
  private final BooleanSupplier stopping;

  Sockets(GateConfig cfg, SessionTable sessions, FramePipeline pipeline, Admission admission,
          BooleanSupplier stopping) {
    this.cfg = cfg;
    this.sessions = sessions;
    this.pipeline = pipeline;
    this.admission = admission;
    this.stopping = stopping;
  }

  HttpServer wsServer(Vertx vertx, int port) {
    return vertx.createHttpServer(new HttpServerOptions()
            .setHost(cfg.host()).setPort(port)
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
        .webSocketHandler(ws -> onWebSocket(vertx, ws));
  }

  NetServer tcpServer(Vertx vertx, int port) {
    return vertx.createNetServer(new NetServerOptions().setHost(cfg.host()).setPort(port).setTcpNoDelay(true))
        .connectHandler(socket -> onTcp(vertx, socket));
  }

  private void onWebSocket(Vertx vertx, ServerWebSocket ws) {
    admission.upgraded(ws.remoteAddress());
    if (!"/ws".equals(ws.path())) {
      ws.close((short) 1008, "unknown path");
      return;
    }
    if (stopping.getAsBoolean()) {
      ws.close((short) 1012, "node shutting down");
      return;
    }
    if (sessions.size() >= cfg.maxSessions()) {
      ws.close((short) 1013, "node full");
      return;
    }
    Session s = sessions.open(new WsConnection(ws, cfg.maxQueuedBytes()), false, vertx.getOrCreateContext());
    admission.loginDeadline(s);
    ws.frameHandler(new WsMessages(() -> s.online() ? cfg.maxFrameBytes() : cfg.preLoginMaxFrameBytes(),
        (data, binary) -> pipeline.onFrame(s, data, binary), (status, reason) -> {
          // The client hears why in the protocol's words before the close says it in WebSocket's.
          s.send(Frames.error(null, status == 1009 ? ErrorCode.TOO_LARGE : ErrorCode.BAD_REQUEST, reason));
          ws.close(status, reason);
        }));
    ws.exceptionHandler(t -> LOG.debug("ws error {}: {}", s.logId(), t.getMessage()));
    ws.closeHandler(v -> sessions.closed(s));
  }

  private void onTcp(Vertx vertx, NetSocket socket) {
    SocketAddress remote = socket.remoteAddress();
    if (stopping.getAsBoolean() || sessions.size() >= cfg.maxSessions() || !admission.enter(remote)) {
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
}
