package io.ravenpost.bench.load;

import io.ravenpost.common.FrameCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * One simulated game client: a WebSocket speaking msgpack binary frames (PROTOCOL.md), requests
 * correlated by id, pushes handed to a callback with their arrival time. Lives on one event loop.
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

  private final WebSocket ws;
  private final Map<Long, Promise<JsonObject>> pending = new ConcurrentHashMap<>(2);
  private final Promise<Void> closed = Promise.promise();
  private long nextId;
  private volatile Consumer<Push> onPush = p -> {
  };
  volatile long lastSentMs;
  public long uid;

  private BenchClient(WebSocket ws) {
    this.ws = ws;
    ws.binaryMessageHandler(b -> onFrame(FrameCodec.decodeMsgpack(b), b.length()));
    ws.textMessageHandler(t -> onFrame(FrameCodec.decodeJson(Buffer.buffer(t)), t.length()));
    ws.exceptionHandler(t -> {
    });
    ws.closeHandler(v -> {
      closed.tryComplete();
      pending.values().forEach(p -> p.tryFail(new Refused("CLOSED", "connection closed")));
      pending.clear();
    });
  }

  /** Connects to the node's {@code /ws}; call it on the event loop the client should live on. */
  static Future<BenchClient> connect(WebSocketClient client, int port) {
    return client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws")
        .setTimeout(CONNECT_TIMEOUT_MS)).map(BenchClient::new);
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
    ws.writeBinaryMessage(FrameCodec.encodeMsgpack(new JsonObject().put("id", id).put("op", op).put("body", body)));
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
      ws.close();
    }
    return closed.future().timeout(REQUEST_TIMEOUT_MS, TimeUnit.MILLISECONDS).recover(t -> Future.succeededFuture());
  }

  private void onFrame(JsonObject f, int bytes) {
    long at = System.nanoTime();
    Object id = f.getValue("id");
    if (id == null && f.getValue("op") instanceof String op) {
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
