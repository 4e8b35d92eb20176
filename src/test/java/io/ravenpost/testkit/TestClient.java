package io.ravenpost.testkit;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.ravenpost.common.FrameCodec;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A game client as a test sees it: speaks the real protocol over WebSocket (JSON or msgpack) or
 * TCP, correlates replies by id, and queues pushes.
 */
public final class TestClient {
  private static final Vertx CLIENT_VERTX = Vertx.vertx();
  // One shared client: Vert.x 5 closes a client (and its connections) once it becomes unreachable.
  private static final io.vertx.core.http.WebSocketClient WS = CLIENT_VERTX.createWebSocketClient(
      new WebSocketClientOptions().setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 20).setMaxConnections(100_000));
  private static final io.vertx.core.net.NetClient TCP = CLIENT_VERTX.createNetClient();

  public enum Mode { WS_JSON, WS_MSGPACK, TCP }

  private final Mode mode;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Promise<JsonObject>> pending = new ConcurrentHashMap<>();
  private final LinkedBlockingQueue<JsonObject> pushes = new LinkedBlockingQueue<>();
  private final LinkedBlockingQueue<JsonObject> unmatched = new LinkedBlockingQueue<>();
  private final Promise<Void> closed = Promise.promise();
  private volatile Consumer<JsonObject> pushListener;
  private WebSocket ws;
  private NetSocket tcp;

  private TestClient(Mode mode) {
    this.mode = mode;
  }

  public static Vertx vertx() {
    return CLIENT_VERTX;
  }

  public static TestClient ws(int port) {
    return Await.result(connect(port, Mode.WS_JSON));
  }

  public static Future<TestClient> connect(int port, Mode mode) {
    return connect("127.0.0.1", port, mode);
  }

  /** A client of a node on another address (the multi-host bed's namespaces). */
  public static Future<TestClient> connect(String host, int port, Mode mode) {
    TestClient c = new TestClient(mode);
    if (mode == Mode.TCP) {
      return TCP.connect(port, host).map(s -> {
        c.tcp = s;
        RecordParser parser = RecordParser.newFixed(4);
        boolean[] len = {true};
        parser.handler(b -> {
          if (len[0]) {
            len[0] = false;
            parser.fixedSizeMode(b.getInt(0));
          } else {
            len[0] = true;
            parser.fixedSizeMode(4);
            c.onFrame(FrameCodec.decodeMsgpack(b));
          }
        });
        s.handler(parser);
        s.closeHandler(v -> c.onClosed());
        return c;
      });
    }
    return WS.connect(new WebSocketConnectOptions().setHost(host).setPort(port).setURI("/ws"))
        .map(w -> {
          c.ws = w;
          w.textMessageHandler(t -> c.onFrame(FrameCodec.decodeJson(Buffer.buffer(t))));
          w.binaryMessageHandler(b -> c.onFrame(FrameCodec.decodeMsgpack(b)));
          w.closeHandler(v -> c.onClosed());
          return c;
        });
  }

  /** A closed connection answers nothing more: pending requests fail instead of hanging. */
  private void onClosed() {
    closed.tryComplete();
    for (Long id : List.copyOf(pending.keySet())) {
      Promise<JsonObject> p = pending.remove(id);
      if (p != null) {
        p.tryFail(new ConnectionClosed());
      }
    }
  }

  /** The connection closed before a reply came. */
  public static final class ConnectionClosed extends RuntimeException {
    ConnectionClosed() {
      super("connection closed before the reply", null, false, false);
    }
  }

  private void onFrame(JsonObject f) {
    Object id = f.getValue("id");
    if (id == null && f.containsKey("op")) {
      Consumer<JsonObject> l = pushListener;
      if (l != null) {
        l.accept(f);
      }
      pushes.add(f);
      return;
    }
    Promise<JsonObject> p = id instanceof Number n ? pending.remove(n.longValue()) : null;
    if (p != null) {
      p.complete(f);
    } else {
      unmatched.add(f);
    }
  }

  /** Sends a request and returns the whole reply frame. */
  public Future<JsonObject> request(String op, JsonObject body) {
    long id = ids.incrementAndGet();
    Promise<JsonObject> p = Promise.promise();
    pending.put(id, p);
    if (isClosed()) {
      onClosed();
    }
    sendRaw(new JsonObject().put("id", id).put("op", op).put("body", body));
    return p.future();
  }

  /** Sends a request; the reply body on success, a {@link RavenException} with the code otherwise. */
  public Future<JsonObject> call(String op, JsonObject body) {
    return request(op, body).compose(r -> r.getBoolean("ok", false)
        ? Future.succeededFuture(r.getJsonObject("body"))
        : Future.failedFuture(new RavenException(ErrorCode.valueOf(r.getJsonObject("error").getString("code")),
            r.getJsonObject("error").getString("message"))));
  }

  public JsonObject callSync(String op, JsonObject body) {
    return Await.result(call(op, body));
  }

  /** The error code of a call that must fail. */
  public ErrorCode errorOf(String op, JsonObject body) {
    JsonObject r = Await.result(request(op, body));
    if (r.getBoolean("ok", false)) {
      throw new AssertionError(op + " succeeded but was expected to fail: " + r.encode());
    }
    return ErrorCode.valueOf(r.getJsonObject("error").getString("code"));
  }

  public Future<JsonObject> login(String token) {
    return call("auth.login", new JsonObject().put("token", token));
  }

  public JsonObject loginSync(String token) {
    return Await.result(login(token));
  }

  public void sendRaw(JsonObject frame) {
    switch (mode) {
      case WS_JSON -> ws.writeTextMessage(frame.encode());
      case WS_MSGPACK -> ws.writeBinaryMessage(FrameCodec.encodeMsgpack(frame));
      case TCP -> {
        Buffer b = FrameCodec.encodeMsgpack(frame);
        tcp.write(Buffer.buffer().appendInt(b.length()).appendBuffer(b));
      }
    }
  }

  /** Sends bytes as they are: a text frame, a binary frame, or raw TCP bytes. */
  public void sendBytes(Buffer bytes, boolean binary) {
    if (mode == Mode.TCP) {
      tcp.write(bytes);
    } else if (binary) {
      ws.writeBinaryMessage(bytes);
    } else {
      ws.writeTextMessage(bytes.toString());
    }
  }

  /** The next reply that had no id this client was waiting for (e.g. an error for an undecodable frame). */
  public JsonObject nextUnmatched(long timeoutMs) {
    return poll(unmatched, timeoutMs);
  }

  /** The next push with this op (other pushes before it are skipped), or null after the timeout. */
  public JsonObject nextPush(String op, long timeoutMs) {
    long end = System.currentTimeMillis() + timeoutMs;
    while (true) {
      long left = end - System.currentTimeMillis();
      if (left <= 0) {
        return null;
      }
      JsonObject p = poll(pushes, left);
      if (p == null) {
        return null;
      }
      if (op.equals(p.getString("op"))) {
        return p;
      }
    }
  }

  /** Every push received and not yet taken, in arrival order, without waiting. */
  /** The next push {@code op} whose body {@code wanted} accepts (others are dropped), or null after the timeout. */
  public JsonObject nextPush(String op, Predicate<JsonObject> wanted, long timeoutMs) {
    long end = System.currentTimeMillis() + timeoutMs;
    while (true) {
      JsonObject p = nextPush(op, Math.max(1, end - System.currentTimeMillis()));
      if (p == null || wanted.test(p.getJsonObject("body"))) {
        return p;
      }
    }
  }

  public List<JsonObject> drainPushes() {
    List<JsonObject> out = new ArrayList<>();
    pushes.drainTo(out);
    return out;
  }

  /** Indexes of the clients whose login succeeded and whose connection is still open. */
  public static List<Integer> openAndLoggedIn(List<TestClient> clients, List<Future<JsonObject>> logins) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < clients.size(); i++) {
      if (logins.get(i).succeeded() && !clients.get(i).isClosed()) {
        out.add(i);
      }
    }
    return out;
  }

  /**
   * Called with every push as it arrives (on the client's event loop), before it is queued: a
   * history recorder stamps receive times here rather than when a test gets around to polling.
   */
  public void onPush(Consumer<JsonObject> listener) {
    this.pushListener = listener;
  }

  /** Completes when the connection closes, whoever closed it. */
  public Future<Void> closedFuture() {
    return closed.future();
  }

  public boolean awaitClosed(long timeoutMs) {
    try {
      Await.result(closed.future(), timeoutMs);
      return true;
    } catch (AssertionError e) {
      return false;
    }
  }

  public boolean isClosed() {
    return closed.future().isComplete();
  }

  public Future<Void> close() {
    if (ws != null) {
      return ws.close();
    }
    return tcp.close();
  }

  private static JsonObject poll(LinkedBlockingQueue<JsonObject> q, long timeoutMs) {
    try {
      return q.poll(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
