package io.ravenpost.admin;

import io.ravenpost.admin.AdminConfig;
import io.ravenpost.api.AuditContext;
import io.ravenpost.common.logging.LogContext;
import io.ravenpost.http.Http;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First on every request of the admin HTTP server: gives it a request id (the caller's
 * {@code X-Request-Id} when it is a sane one, else a fresh one, answered in the same header), puts
 * it and the node in the log context, and writes one access-log line when the answer is sent
 * (logger {@code io.ravenpost.access}: method, path, status, ms, bytes, actor, code, remote).
 */
final class RequestLog implements Handler<RoutingContext> {
  private static final Logger ACCESS = LoggerFactory.getLogger("io.ravenpost.access");
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  private static final SecureRandom RANDOM = new SecureRandom();
  static final String HEADER = "X-Request-Id";

  static final String SERVER_TIMING = "Server-Timing";

  private final String nodeId;
  private final AdminConfig cfg;

  RequestLog(String nodeId, AdminConfig cfg) {
    this.nodeId = nodeId;
    this.cfg = cfg;
  }

  @Override
  public void handle(RoutingContext rc) {
    long t0 = System.nanoTime();
    String given = rc.request().getHeader(HEADER);
    String id = given != null && SANE.matcher(given).matches() ? given : fresh();
    rc.put(Http.REQUEST_ID, id);
    boolean viaProxy = cfg.trustedProxies().contains(remote(rc));
    rc.put(Http.SOURCE, source(rc, viaProxy));
    rc.put(Http.TLS, rc.request().isSSL() || cfg.publicTls()
        || (viaProxy && "https".equalsIgnoreCase(rc.request().getHeader("X-Forwarded-Proto"))));
    LogContext.put(LogContext.REQUEST_ID, id);
    LogContext.put(LogContext.NODE, nodeId);
    rc.response().putHeader(HEADER, id);
    // W3C Server-Timing: how long the node took, so a caller can tell its own wait from the node's.
    rc.addHeadersEndHandler(v -> rc.response().putHeader(SERVER_TIMING,
        String.format(Locale.ROOT, "app;dur=%.3f", (System.nanoTime() - t0) / 1e6)));
    rc.addBodyEndHandler(v -> {
      AuditContext who = Http.caller(rc);
      String code = rc.get(Http.ERROR_CODE);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      int status = rc.response().getStatusCode();
      String actor = who == null ? "-" : who.actor();
      ACCESS.atInfo().addKeyValue("method", rc.request().method().name()).addKeyValue("path", rc.request().path())
          .addKeyValue("status", status).addKeyValue("ms", ms).addKeyValue("bytes", rc.response().bytesWritten())
          .addKeyValue("actor", actor).addKeyValue("code", code == null ? "-" : code)
          .addKeyValue("remote", Http.source(rc))
          .log("{} {} {} {} ms", rc.request().method(), rc.request().path(), status, ms);
    });
    rc.next();
  }

  private static String remote(RoutingContext rc) {
    return rc.request().remoteAddress() == null ? "" : rc.request().remoteAddress().hostAddress();
  }

  /**
   * The caller's address: the socket's peer, or behind a trusted proxy the last address that proxy
   * appended to {@code X-Forwarded-For} (the ones before it are the client's own claims).
   */
  private static String source(RoutingContext rc, boolean viaProxy) {
    String forwarded = viaProxy ? rc.request().getHeader("X-Forwarded-For") : null;
    if (forwarded == null || forwarded.isBlank()) {
      return remote(rc);
    }
    String[] hops = forwarded.split(",");
    String last = hops[hops.length - 1].trim();
    return last.length() > 64 ? last.substring(0, 64) : last;
  }

  private static String fresh() {
    byte[] b = new byte[8];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
