package io.ravenpost.bench.load;

import io.ravenpost.api.Frames;
import io.ravenpost.common.FrameCodec;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One simulated game client speaking msgpack (PROTOCOL.md) over a WebSocket (binary frames) or
 * over TCP (each frame a 4-byte big-endian length, then msgpack); requests correlated by id,
 * pushes handed to a callback with their arrival time. Lives on one event loop.
 */
public final class BenchClient {
  static final long CONNECT_TIMEOUT_MS = 10_000;
  public static final long REQUEST_TIMEOUT_MS = 10_000;

  /** A push as it arrived: op, body, encoded size, and {@link System#nanoTime()} at arrival. */
  public record Push(String op, JsonObject body, int bytes, long atNanos) {
  }

  /** A request the server answered with {@code ok: false}. */
  static final class Refused extends RuntimeException {
    final String code;

    Refused(String code, String message) {
      super(code + ": " + message, null, false, false);
      this.code = code;
    }
  }

  /** How a client reaches the gate. */
  public enum Transport { WS, TCP }

  private static final int TCP_HEADER = 4;
  private static final int MAX_FRAME = 64 * 1024;

  private final Consumer<Buffer> write;
  private final Runnable close;
  private final Map<Long, Promise<JsonObject>> pending = new ConcurrentHashMap<>(2);
  private final Promise<Void> closed = Promise.promise();
  private long nextId;
  private volatile Consumer<Push> onPush = p -> {
  };
  volatile long lastSentMs;
  public long uid;

  private BenchClient(WebSocket ws) {
    this.write = ws::writeBinaryMessage;
    this.close = ws::close;
    ws.binaryMessageHandler(b -> onFrame(FrameCodec.decodeMsgpack(b), b.length()));
    ws.textMessageHandler(t -> onFrame(FrameCodec.decodeJson(Buffer.buffer(t)), t.length()));
    ws.exceptionHandler(t -> {
    });
    ws.closeHandler(v -> onClosed());
  }

  private BenchClient(NetSocket tcp) {
    this.write = frame -> tcp.write(Buffer.buffer(TCP_HEADER + frame.length()).appendInt(frame.length())
        .appendBuffer(frame));
    this.close = tcp::close;
    RecordParser frames = RecordParser.newFixed(TCP_HEADER);
    frames.handler(new Handler<>() {
      private boolean header = true;

      @Override
      public void handle(Buffer b) {
        if (header) {
          int length = b.getInt(0);
          if (length <= 0 || length > MAX_FRAME) {
            tcp.close();
            return;
          }
          frames.fixedSizeMode(length);
        } else {
          onFrame(FrameCodec.decodeMsgpack(b), b.length());
          frames.fixedSizeMode(TCP_HEADER);
        }
        header = !header;
      }
    });
    tcp.handler(frames);
    tcp.exceptionHandler(t -> {
    });
    tcp.closeHandler(v -> onClosed());
  }

  private void onClosed() {
    closed.tryComplete();
    pending.values().forEach(p -> p.tryFail(new Refused("CLOSED", "connection closed")));
    pending.clear();
  }

  /** Connects to the node's {@code /ws}; call it on the event loop the client should live on. */
  static Future<BenchClient> connect(WebSocketClient client, int port) {
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws")
        .setTimeout(CONNECT_TIMEOUT_MS)).map(BenchClient::new);
  }

  /** Connects to the node's client TCP port; call it on the event loop the client should live on. */
  static Future<BenchClient> connectTcp(NetClient client, int port) {
    return client.connect(port, "127.0.0.1").map(BenchClient::new);
  }

  void onPush(Consumer<Push> handler) {
    this.onPush = handler;
  }

  /** Sends a request; the whole reply frame, or a failure when none comes in time. */
  public Future<JsonObject> request(String op, JsonObject body) {
    long id;
    synchronized (this) {
      id = ++nextId;
    }
    Promise<JsonObject> p = Promise.promise();
    pending.put(id, p);
    lastSentMs = System.currentTimeMillis();
    write.accept(FrameCodec.encodeMsgpack(new JsonObject().put(Frames.ID, id).put(Frames.OP, op).put(Frames.BODY, body)));
    return p.future().timeout(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .onFailure(t -> pending.remove(id));
  }

  /** Sends a request; the reply body, or a {@link Refused} with the error code. */
  public Future<JsonObject> call(String op, JsonObject body) {
    return request(op, body).compose(r -> {
      if (r.getBoolean("ok", false)) {
        JsonObject b = r.getJsonObject("body");
        return Future.succeededFuture(b == null ? new JsonObject() : b);
      }
      JsonObject e = r.getJsonObject("error", new JsonObject());
      return Future.failedFuture(new Refused(e.getString("code", "UNKNOWN"), e.getString("message", "")));
    });
  }

  Future<JsonObject> login(String token) {
    return call("auth.login", new JsonObject().put("token", token))
        .onSuccess(b -> uid = b.getLong("uid", 0L));
  }

  boolean isClosed() {
    return closed.future().isComplete();
  }

  /** Closes and completes once the connection is gone (or after the request timeout). */
  Future<Void> close() {
    if (!isClosed()) {
      close.run();
    }
    return closed.future().timeout(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS).recover(t -> Future.succeededFuture());
  }

  private void onFrame(JsonObject f, int bytes) {
    long at = System.nanoTime();
    Object id = f.getValue("id");
    if (id == null && f.getValue(Frames.OP) instanceof String op) {
      JsonObject b = f.getValue("body") instanceof JsonObject o ? o : new JsonObject();
      onPush.accept(new Push(op, b, bytes, at));
      return;
    }
    Promise<JsonObject> p = id instanceof Number n ? pending.remove(n.longValue()) : null;
    if (p != null) {
      p.tryComplete(f);
    }
  }

  /** The error code of a failed call, for counting failures by kind. */
  public static String codeOf(Throwable t) {
    if (t instanceof Refused r) {
      return r.code;
    }
    String m = String.valueOf(t.getMessage()).toLowerCase();
    if (t instanceof TimeoutException || m.contains("timeout") || m.contains("timed out")) {
      return "TIMEOUT";
    }
    if (m.contains("connection refused") || m.contains("cannot assign") || m.contains("connect")) {
      return "CONNECT_FAILED";
    }
    return t.getClass().getSimpleName();
  }
}
