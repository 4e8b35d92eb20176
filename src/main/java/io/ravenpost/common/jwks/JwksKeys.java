package io.ravenpost.common.jwks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.common.config.JwtConfig;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account service's signing keys, fetched from its JWKS and cached. A token naming a key not in
 * the cache starts a fetch, at most one per {@code jwt.jwksMinRefreshSeconds}; the keys are fetched
 * anyway every {@code jwt.jwksRefreshSeconds}. A failed fetch keeps the keys already known, so
 * logins go on while the account service is down.
 */
public final class JwksKeys {
  /** A JWKS of a few keys is a few KiB; far more is a broken or hostile answer. */
  static final int MAX_BODY_BYTES = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(JwksKeys.class);

  /** A key the account service signs with, and the only algorithm it is trusted for. */
  public record Key(String kid, String alg, JWTAuth auth) {
  }

  private final Vertx vertx;
  private final HttpClient http;
  private final JwtConfig cfg;
  private final JWTOptions checks;
  private final Counter fetched;
  private final Counter failed;
  private volatile Map<String, Key> keys = Map.of();
  /** Guarded by this: the fetch under way, and when the last one started. */
  private Future<Void> inFlight;
  private long lastStartNanos;
  private boolean everStarted;
  private boolean lastFailed;

  private JwksKeys(Vertx vertx, JwtConfig cfg, JWTOptions checks, MeterRegistry metrics) {
    this.vertx = vertx;
    this.cfg = cfg;
    this.checks = checks;
    this.http = vertx.createHttpClient();
    this.fetched = Counter.builder("raven_jwks_refreshes_total").tag("result", "ok")
        .description("JWKS fetches that replaced the player token keys").register(metrics);
    this.failed = Counter.builder("raven_jwks_refreshes_total").tag("result", "failed")
        .description("JWKS fetches that failed (the keys already known were kept)").register(metrics);
    Gauge.builder("raven_jwks_keys", this, k -> k.keys.size())
        .description("player token keys known from the JWKS").register(metrics);
  }

  /** Starts the first fetch and the periodic ones; {@code checks} holds leeway, issuer and audience. */
  public static JwksKeys start(Vertx vertx, JwtConfig cfg, JWTOptions checks, MeterRegistry metrics) {
    JwksKeys k = new JwksKeys(vertx, cfg, checks, metrics);
    k.refresh();
    vertx.setPeriodic(TimeUnit.SECONDS.toMillis(cfg.jwksRefreshSeconds()), id -> k.refresh());
    return k;
  }

  /**
   * The key {@code kid} trusted for {@code alg}, fetching the JWKS first when {@code kid} is unknown
   * and a fetch is allowed. Completes on the caller's context, within {@code jwt.jwksTimeoutMs}.
   */
  public Future<Key> key(String kid, String alg) {
    if (kid == null || !JwkSet.ALGORITHMS.contains(alg)) {
      return Future.failedFuture(ErrorCode.AUTH_INVALID.error("an RS256 or ES256 token must name its key (kid)"));
    }
    Key known = keys.get(kid);
    if (known != null) {
      return matching(known, alg);
    }
    return onCaller(refresh()).compose(v -> {
      Key k = keys.get(kid);
      return k == null ? Future.failedFuture(ErrorCode.AUTH_INVALID.error("unknown key " + kid)) : matching(k, alg);
    });
  }

  private static Future<Key> matching(Key k, String alg) {
    return k.alg().equals(alg) ? Future.succeededFuture(k)
        : Future.failedFuture(ErrorCode.AUTH_INVALID.error("key " + k.kid() + " does not sign " + alg));
  }

  /** The fetch under way, a new one when none ran for the minimum interval, or nothing new. */
  private synchronized Future<Void> refresh() {
    if (inFlight != null) {
      return inFlight;
    }
    long now = System.nanoTime();
    if (everStarted && now - lastStartNanos < TimeUnit.SECONDS.toNanos(cfg.jwksMinRefreshSeconds())) {
      return Future.succeededFuture();
    }
    everStarted = true;
    lastStartNanos = now;
    Future<Void> f = fetch().transform(ar -> {
      synchronized (this) {
        inFlight = null;
      }
      return Future.succeededFuture();
    });
    // A fetch that completed at once already cleared itself; only a pending one is shared.
    inFlight = f.isComplete() ? null : f;
    return f;
  }

  private Future<Void> fetch() {
    RequestOptions req = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(cfg.jwksUrl())
        .setConnectTimeout(cfg.jwksTimeoutMs()).setIdleTimeout(cfg.jwksTimeoutMs())
        .putHeader("Accept", "application/json");
    // The whole fetch has a deadline (a server that drips bytes would otherwise hold it, and with it
    // every refresh, for good) and a size limit.
    return http.request(req)
        .compose(HttpClientRequest::send)
        .compose(JwksKeys::body)
        .timeout(2L * cfg.jwksTimeoutMs(), TimeUnit.MILLISECONDS)
        .map(body -> JwkSet.parse(vertx, body, checks))
        .onSuccess(this::replace)
        .onFailure(this::keepStale)
        .mapEmpty();
  }

  private static Future<Buffer> body(HttpClientResponse resp) {
    String length = resp.getHeader("Content-Length");
    if (length != null && (!length.matches("\\d{1,9}") || Long.parseLong(length) > MAX_BODY_BYTES)) {
      resp.request().reset();
      return Future.failedFuture("the JWKS is larger than " + MAX_BODY_BYTES + " bytes");
    }
    if (resp.statusCode() != 200) {
      resp.request().reset();
      return Future.failedFuture("the JWKS answered HTTP " + resp.statusCode());
    }
    Promise<Buffer> body = Promise.promise();
    Buffer all = Buffer.buffer();
    resp.handler(chunk -> {
      all.appendBuffer(chunk);
      if (all.length() > MAX_BODY_BYTES) {
        resp.request().reset();
        body.tryFail("the JWKS is larger than " + MAX_BODY_BYTES + " bytes");
      }
    });
    resp.exceptionHandler(body::tryFail);
    resp.endHandler(v -> body.tryComplete(all));
    return body.future();
  }

  private void replace(Map<String, Key> fresh) {
    keys = fresh;
    fetched.increment();
    synchronized (this) {
      if (lastFailed) {
        LOG.info("JWKS {} reachable again: {} player token keys", cfg.jwksUrl(), fresh.size());
      }
      lastFailed = false;
    }
  }

  private void keepStale(Throwable t) {
    failed.increment();
    boolean first;
    synchronized (this) {
      first = !lastFailed;
      lastFailed = true;
    }
    // Once per outage: each failed fetch after the first is in the metric.
    if (first) {
      LOG.warn("JWKS {} not fetched ({}); keeping the {} keys already known", cfg.jwksUrl(), t.getMessage(),
          keys.size());
    }
  }

  /**
   * {@code f} completed on the caller's event loop (the gate's session state is confined to it),
   * and given up after the fetch timeout: a login never waits on the account service for longer.
   */
  private <T> Future<T> onCaller(Future<T> f) {
    Context ctx = Vertx.currentContext();
    Promise<T> p = Promise.promise();
    long timer = vertx.setTimer(cfg.jwksTimeoutMs(), id -> p.tryFail(
        ErrorCode.AUTH_INVALID.error("the token's key is unknown and the JWKS did not answer in time")));
    f.onComplete(ar -> {
      Runnable settle = () -> {
        vertx.cancelTimer(timer);
        if (ar.succeeded()) {
          p.tryComplete(ar.result());
        } else {
          p.tryFail(ar.cause());
        }
      };
      if (ctx == null || ctx == Vertx.currentContext()) {
        settle.run();
      } else {
        ctx.runOnContext(v -> settle.run());
      }
    });
    return p.future();
  }
}
