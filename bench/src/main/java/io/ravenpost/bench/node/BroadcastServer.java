package io.ravenpost.bench.node;

import io.ravenpost.api.Frames;
import io.ravenpost.common.FrameCodec;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The push baseline: a bare Vert.x WebSocket server in a JVM of its own that, on
 * {@code GET /broadcast?bytes=B}, writes one binary {@code mail.new}-shaped frame of B bytes to
 * every connected client, and echoes every binary message back to its sender. No login, no
 * registry, no cluster: what the hardware and Vert.x can do.
 * Run by the benchmark as {@code java -cp ravenpost.jar:ravenpost-bench.jar
 * io.ravenpost.bench.node.BroadcastServer PORT}.
 */
public final class BroadcastServer {
  private static final int MAX_BYTES = 65_536;

  private BroadcastServer() {
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    Vertx vertx = Vertx.vertx();
    Set<ServerWebSocket> sockets = ConcurrentHashMap.newKeySet();
    vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port).setTcpNoDelay(true))
        .webSocketHandler(ws -> {
          sockets.add(ws);
          ws.closeHandler(v -> sockets.remove(ws));
          // The heartbeat baseline: every message comes straight back, as a bare echo server would.
          ws.binaryMessageHandler(ws::writeBinaryMessage);
        })
        .requestHandler(req -> {
          if (req.path().equals("/broadcast")) {
            int bytes = Math.max(16, Math.min(MAX_BYTES, Integer.parseInt(req.getParam("bytes", "256"))));
            Buffer frame = frame(bytes);
            int sent = 0;
            for (ServerWebSocket ws : sockets) {
              ws.writeBinaryMessage(frame.copy());
              sent++;
            }
            req.response().end(new JsonObject().put("sent", sent).put("bytes", frame.length()).encode());
          } else {
            req.response().end(new JsonObject().put("connected", sockets.size()).encode());
          }
        })
        .listen()
        .onSuccess(s -> System.out.println("broadcast server ready on 127.0.0.1:" + s.actualPort()))
        .onFailure(t -> {
          System.err.println("broadcast server failed: " + t);
          System.exit(1);
        });
  }

  /** A msgpack push frame {@code {op: "mail.new", body: {pad}}} of exactly (or just over) {@code bytes}. */
  static Buffer frame(int bytes) {
    String pad = "";
    Buffer b = encode(pad);
    for (int i = 0; i < 4 && b.length() != bytes; i++) {
      pad = "x".repeat(Math.max(0, pad.length() + bytes - b.length()));
      b = encode(pad);
    }
    return b;
  }

  private static Buffer encode(String pad) {
    return FrameCodec.encodeMsgpack(new JsonObject().put(Frames.OP, Frames.MAIL_NEW)
        .put("body", new JsonObject().put("pad", pad)));
  }
}
