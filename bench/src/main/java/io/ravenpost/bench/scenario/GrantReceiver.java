package io.ravenpost.bench.scenario;

import io.ravenpost.bench.Sync;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A game server's grant webhook inside the benchmark's process: a Vert.x HTTP server on 127.0.0.1
 * that checks each request's {@code Ravenpost-Signature} (HMAC-SHA256 of {@code "<t>.<body>"}, a
 * {@code t} at most 5 minutes off), applies each {@code grantId} once into a {@link Ledger} with the
 * moment it first arrived, counts repeats, and answers 204 (401 to a bad signature, 400 to a body
 * that is not a grant batch).
 */
final class GrantReceiver implements AutoCloseable {
  static final String PATH = "/grants";
  private static final Pattern SIGNATURE = Pattern.compile("^t=(\\d+),v1=([0-9a-f]{64})$");
  private static final long MAX_SKEW_S = 300;
  private static final String ALGORITHM = "HmacSHA256";

  private final HttpServer server;
  private final SecretKeySpec key;
  private final ThreadLocal<Mac> mac;
  private volatile Ledger ledger = new Ledger();

  /** What one phase delivered: each grant's first arrival ({@link System#nanoTime()}) and the counts around it. */
  static final class Ledger {
    final Map<String, Long> firstSeen = new ConcurrentHashMap<>();
    final LongAdder arrivals = new LongAdder();
    final LongAdder repeats = new LongAdder();
    final LongAdder requests = new LongAdder();
    final LongAdder badSignatures = new LongAdder();
    final LongAdder badBodies = new LongAdder();
    final LongAdder bodyBytes = new LongAdder();
    volatile JsonObject sample;

    long lastArrivalNanos() {
      return firstSeen.values().stream().mapToLong(Long::longValue).max().orElse(0);
    }

    JsonObject toJson() {
      return new JsonObject().put("distinctGrants", firstSeen.size()).put("arrivals", arrivals.sum())
          .put("repeats", repeats.sum()).put("requests", requests.sum()).put("badSignatures", badSignatures.sum())
          .put("badBodies", badBodies.sum()).put("bodyBytes", bodyBytes.sum());
    }
  }

  private GrantReceiver(HttpServer server, String secret) {
    this.server = server;
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.mac = ThreadLocal.withInitial(() -> {
      try {
        Mac m = Mac.getInstance(ALGORITHM);
        m.init(key);
        return m;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
      }
    });
  }

  /** Listens on an ephemeral port of 127.0.0.1. */
  static GrantReceiver start(Vertx vertx, String secret) {
    HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost("127.0.0.1").setPort(0));
    GrantReceiver r = new GrantReceiver(server, secret);
    server.requestHandler(r::handle);
    Sync.await(server.listen(), 10_000);
    return r;
  }

  String url() {
    return "http://127.0.0.1:" + server.actualPort() + PATH;
  }

  /** The ledger requests go to now. */
  Ledger current() {
    return ledger;
  }

  /** The ledger so far; later requests go to a fresh one. */
  Ledger swap() {
    Ledger old = ledger;
    ledger = new Ledger();
    return old;
  }

  /** The header a sender puts on {@code body} at {@code epochS}, signed with this receiver's secret. */
  String sign(long epochS, String body) {
    return "t=" + epochS + ",v1=" + HexFormat.of().formatHex(hmac(Long.toString(epochS), body));
  }

  private byte[] hmac(String t, String body) {
    Mac m = mac.get();
    m.update((t + ".").getBytes(StandardCharsets.UTF_8));
    return m.doFinal(body.getBytes(StandardCharsets.UTF_8));
  }

  private void handle(HttpServerRequest req) {
    if (!"POST".equals(req.method().name()) || !PATH.equals(req.path())) {
      req.response().setStatusCode(404).end();
      return;
    }
    req.body().onSuccess(b -> receive(req, b)).onFailure(t -> req.response().setStatusCode(400).end());
  }

  private void receive(HttpServerRequest req, Buffer raw) {
    long at = System.nanoTime();
    Ledger l = ledger;
    String body = raw.toString(StandardCharsets.UTF_8);
    if (!signed(req.getHeader("Ravenpost-Signature"), body)) {
      l.badSignatures.increment();
      req.response().setStatusCode(401).end();
      return;
    }
    JsonArray grants;
    try {
      grants = new JsonObject(body).getJsonArray("grants");
    } catch (RuntimeException e) {
      grants = null;
    }
    if (grants == null) {
      l.badBodies.increment();
      req.response().setStatusCode(400).end();
      return;
    }
    l.requests.increment();
    l.bodyBytes.add(raw.length());
    for (Object o : grants) {
      if (!(o instanceof JsonObject g) || g.getValue("grantId") == null) {
        l.badBodies.increment();
        continue;
      }
      l.arrivals.increment();
      if (l.firstSeen.putIfAbsent(String.valueOf(g.getValue("grantId")), at) != null) {
        l.repeats.increment(); // a repeat: applied once already
      } else if (l.sample == null) {
        l.sample = g.copy();
      }
    }
    req.response().setStatusCode(204).end();
  }

  private boolean signed(String header, String body) {
    Matcher m = header == null ? null : SIGNATURE.matcher(header);
    if (m == null || !m.matches()) {
      return false;
    }
    long t;
    try {
      t = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      return false;
    }
    if (Math.abs(System.currentTimeMillis() / 1000 - t) > MAX_SKEW_S) {
      return false;
    }
    return MessageDigest.isEqual(HexFormat.of().parseHex(m.group(2)), hmac(m.group(1), body));
  }

  @Override
  public void close() {
    try {
      Sync.await(server.close(), 10_000);
    } catch (RuntimeException e) {
      // Best effort: the run is ending.
    }
  }
}
