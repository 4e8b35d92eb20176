package io.ravenpost.common.jwks;

import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A game's account service publishing its JWKS over HTTP on 127.0.0.1: the keys it lists can be
 * rotated, it can go down (HTTP 503) or hang (never answers), and it counts the fetches it gets.
 */
public final class TestJwks implements AutoCloseable {
  public enum Mode { UP, DOWN, HANGING }

  private final HttpServer server;
  private final AtomicReference<JsonObject> document = new AtomicReference<>(new JsonObject().put("keys",
      new JsonArray()));
  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.UP);
  private final AtomicInteger requests = new AtomicInteger();

  private TestJwks(HttpServer server) {
    this.server = server;
  }

  public static TestJwks start(SigningKey... keys) {
    HttpServer server = TestClient.vertx().createHttpServer();
    TestJwks jwks = new TestJwks(server);
    jwks.publish(keys);
    server.requestHandler(req -> {
      jwks.requests.incrementAndGet();
      switch (jwks.mode.get()) {
        case UP -> req.response().putHeader("Content-Type", "application/json").end(jwks.document.get().encode());
        case DOWN -> req.response().setStatusCode(503).end("down for maintenance");
        case HANGING -> { }
        default -> throw new IllegalStateException();
      }
    });
    Await.result(server.listen(0, "127.0.0.1"));
    return jwks;
  }

  public String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/.well-known/jwks.json";
  }

  /** From now on the JWKS lists exactly {@code keys}. */
  public void publish(SigningKey... keys) {
    document.set(new JsonObject().put("keys", new JsonArray(List.of(keys).stream().map(SigningKey::jwk).toList())));
  }

  /** From now on the JWKS lists exactly these JWKs (some a node must leave out). */
  public void publishRaw(JsonArray jwks) {
    document.set(new JsonObject().put("keys", jwks));
  }

  public void mode(Mode m) {
    mode.set(m);
  }

  /** Fetches received so far. */
  public int requests() {
    return requests.get();
  }

  @Override
  public void close() {
    Await.result(server.close());
  }
}
