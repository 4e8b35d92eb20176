package io.ravenpost.grants;

import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A game server's webhook, as a studio would write one: it checks {@code Ravenpost-Signature},
 * applies each grant once (a ledger unique on grantId) and answers as {@link #mode} says.
 */
final class GrantReceiver implements AutoCloseable {
  static final String SECRET = "receiver-test-secret-0123456789";

  /** How the receiver answers the next requests. */
  enum Mode {
    /** 500 without applying anything. */
    REFUSE,
    /** Applies, then never answers: Ravenpost's request times out. */
    APPLY_AND_HANG,
    /** Applies, then answers 500 anyway: Ravenpost sends the same grants again. */
    APPLY_AND_FAIL,
    /** Applies and answers 200. */
    OK
  }

  private final HttpServer server;
  private final Map<String, JsonObject> ledger = new LinkedHashMap<>();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger repeats = new AtomicInteger();
  private final AtomicInteger badSignatures = new AtomicInteger();
  volatile Mode mode = Mode.OK;
  /** A player whose grants this game cannot apply yet: a request carrying one is answered 500, unapplied. */
  volatile long refusedUid;

  GrantReceiver() {
    server = TestClient.vertx().createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      requests.incrementAndGet();
      String text = body.toString(StandardCharsets.UTF_8);
      if (!signed(req.getHeader("Ravenpost-Signature"), text)) {
        badSignatures.incrementAndGet();
        req.response().setStatusCode(401).end();
        return;
      }
      JsonObject grants = new JsonObject(text);
      Mode now = refuses(grants) ? Mode.REFUSE : mode;
      if (now != Mode.REFUSE) {
        apply(grants);
      }
      switch (now) {
        case REFUSE, APPLY_AND_FAIL -> req.response().setStatusCode(500).end();
        case APPLY_AND_HANG -> {
          // Never answered: the connection closes when Ravenpost gives up on it.
        }
        case OK -> req.response().setStatusCode(200).end();
      }
    }));
    Await.result(server.listen(0, "127.0.0.1"));
  }

  /** Node overrides that send grants here. */
  JsonObject config() {
    return new JsonObject().put("grants", new JsonObject().put("delivery", "webhook").put("sweepMs", 200)
        .put("timeoutMs", 500).put("retryCapMs", 1000).put("batch", 5)
        .put("webhook", new JsonObject().put("url", url()).put("secret", SECRET)));
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + "/grants";
  }

  int requests() {
    return requests.get();
  }

  int repeats() {
    return repeats.get();
  }

  int badSignatures() {
    return badSignatures.get();
  }

  /** The grantIds applied for {@code uid}, in the order they were applied. */
  synchronized List<String> applied(long uid) {
    List<String> out = new ArrayList<>();
    ledger.values().stream().filter(g -> g.getLong("uid") == uid).forEach(g -> out.add(g.getString("grantId")));
    return out;
  }

  private boolean refuses(JsonObject body) {
    return body.getJsonArray("grants").stream().anyMatch(g -> ((JsonObject) g).getLong("uid") == refusedUid);
  }

  private synchronized void apply(JsonObject body) {
    body.getJsonArray("grants").forEach(o -> {
      JsonObject g = (JsonObject) o;
      if (ledger.putIfAbsent(g.getString("grantId"), g) != null) {
        repeats.incrementAndGet();
      }
    });
  }

  private static boolean signed(String header, String body) {
    if (header == null || !header.matches("t=\\d+,v1=[0-9a-f]{64}")) {
      return false;
    }
    String t = header.substring(2, header.indexOf(','));
    String v1 = header.substring(header.indexOf("v1=") + 3);
    if (Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t)) > 300) {
      return false;
    }
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal((t + "." + body).getBytes(StandardCharsets.UTF_8))).equals(v1);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    Await.result(server.close());
  }
}
