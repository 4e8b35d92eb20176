package io.ravenpost.bench.node;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ravenpost.api.ClientOp;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Frames;
import io.ravenpost.common.Db;
import io.ravenpost.common.Errors;
import io.ravenpost.common.FrameCodec;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.common.Tokens;
import io.ravenpost.mail.box.Users;
import io.ravenpost.node.RavenConfig;
import io.ravenpost.online.OnlineState;
import io.ravenpost.online.impl.RedisOnlineState;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import io.ravenpost.common.HeldRedisClient;
import io.vertx.redis.client.Redis;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The login baseline: a bare Vert.x server in a JVM of its own doing, per connection, exactly the
 * I/O a Ravenpost login needs and nothing else: the WebSocket upgrade, the HS256 token check
 * ({@link Tokens}, vertx-auth-jwt, as the node builds it), the registry claim (the node's
 * {@link RedisOnlineState#tryClaim}: one EVAL of its claim script), the player's row upserted (the
 * node's {@link Users#loggedIn}, its SQL and batching) and one msgpack reply frame. No cluster, no
 * event bus, no mail role, no metrics, no logging per login, no session kept (so no release at
 * close). Configured like a node, through {@code RAVEN_*} (JWT secret, MySQL, Redis and its prefix,
 * registry buckets and lease).
 * Run by the benchmark as {@code java -cp ravenpost.jar:ravenpost-bench.jar
 * io.ravenpost.bench.node.BareLoginServer PORT}; any plain HTTP request answers 200 (ready).
 */
public final class BareLoginServer extends VerticleBase {
  private static final AtomicLong SESSIONS = new AtomicLong();

  private final int port;
  private final String nodeId;
  private final Tokens tokens;
  private final OnlineState online;
  private final Users users;

  private BareLoginServer(int port, String nodeId, Tokens tokens, OnlineState online, Users users) {
    this.port = port;
    this.nodeId = nodeId;
    this.tokens = tokens;
    this.online = online;
    this.users = users;
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    RavenConfig cfg = RavenConfig.load(null);
    Vertx vertx = Vertx.vertx();
    var metrics = new SimpleMeterRegistry();
    String nodeId = "bare-" + ProcessHandle.current().pid();
    // The node's own Redis client: held connections that pipeline, as many as the node holds.
    Redis redis = new HeldRedisClient(vertx, Redis.createClient(vertx, cfg.redis().options(cfg.redis().poolSize())
        .setMaxPoolWaiting(100_000).setMaxWaitingHandlers(100_000)), Math.max(1, cfg.redis().poolSize() / 4));
    Stores stores = new Stores(Db.connect(vertx, cfg.mysql(), metrics), redis, redis, cfg.redis().prefix(),
        cfg.redis().clustered());
    Tokens tokens = Tokens.player(vertx, cfg.jwt(), false, metrics);
    OnlineState online = new RedisOnlineState(new NodeInfo(nodeId, vertx, metrics), stores, cfg.online());
    Users users = new Users(vertx, stores.db());
    // One listener per event loop, as the node's gate has.
    vertx.deployVerticle(() -> new BareLoginServer(port, nodeId, tokens, online, users),
            new DeploymentOptions().setInstances(VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE))
        .onSuccess(id -> System.out.println("bare login server ready on 127.0.0.1:" + port))
        .onFailure(t -> {
          System.err.println("bare login server failed: " + t);
          System.exit(1);
        });
  }

  @Override
  public Future<?> start() {
    return vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(port)
            .setPerMessageWebSocketCompressionSupported(false).setPerFrameWebSocketCompressionSupported(false)
            .setStrictThreadMode(true).setTcpNoDelay(true))
        .webSocketHandler(ws -> ws.binaryMessageHandler(b -> onFrame(ws, b)))
        .requestHandler(req -> req.response().end("ready"))
        .listen();
  }

  private void onFrame(ServerWebSocket ws, Buffer b) {
    Object id = null;
    try {
      JsonObject frame = FrameCodec.decodeMsgpack(b);
      id = frame.getValue(Frames.ID);
      if (!ClientOp.AUTH_LOGIN.wire().equals(frame.getValue(Frames.OP))) {
        reply(ws, Frames.error(id, ErrorCode.UNKNOWN_OP, "the bare login server only logs in"));
        return;
      }
      Object rid = id;
      Context loop = Vertx.currentContext();
      login(frame.getJsonObject(Frames.BODY, new JsonObject()).getString("token"))
          .onComplete(ar -> onLoop(loop, () -> reply(ws, ar.succeeded() ? Frames.ok(rid, ar.result())
              : Frames.error(rid, Errors.codeOf(ar.cause()), String.valueOf(ar.cause().getMessage())))));
    } catch (RuntimeException e) {
      reply(ws, Frames.error(id, Errors.codeOf(e), String.valueOf(e.getMessage())));
    }
  }

  /** Token, claim, users row; a claim that finds the uid taken counts like any other (no kick here). */
  private Future<JsonObject> login(String token) {
    String session = Long.toString(SESSIONS.incrementAndGet(), 36);
    return tokens.verify(token)
        .compose(claims -> online.tryClaim(claims.uid(), nodeId, session).map(claims))
        .compose(claims -> users.loggedIn(claims.uid(), claims.toJson()).map(claims))
        .map(claims -> new JsonObject().put("uid", claims.uid()).put("sessionId", session)
            .put("serverTime", System.currentTimeMillis()).put("unread", 0));
  }

  /**
   * A batch of users rows completes on the loop that flushed it; in strict thread mode a socket is
   * written only from its own loop, as the gate does.
   */
  private static void onLoop(Context loop, Runnable write) {
    if (Vertx.currentContext() == loop) {
      write.run();
    } else {
      loop.runOnContext(v -> write.run());
    }
  }

  private static void reply(ServerWebSocket ws, JsonObject frame) {
    ws.writeBinaryMessage(FrameCodec.encodeMsgpack(frame));
  }
}
