package io.ravenpost.admin.console;

import io.ravenpost.admin.AdminConfig;
import io.ravenpost.admin.operators.OperatorStore;
import io.ravenpost.api.AuditContext;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Fields;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.http.Http;
import io.vertx.core.Future;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The operators' console: static pages from the jar under {@code /console/} (no build step), and
 * signing in and out: {@code POST /console/session {name, password}} sets an HttpOnly,
 * SameSite=Strict cookie and answers {@code {name, role, csrfToken, expiresAt}};
 * {@code GET /console/session} answers the same for the cookie; {@code DELETE /console/session}
 * signs out. The pages then call the {@code /admin} API with that cookie and the CSRF token.
 */
public final class ConsoleRoutes {
  public static final String COOKIE = "raven_console";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  /** Scripts, styles and requests only from this origin; no framing (clickjacking). */
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
  private static final long SIGN_IN_BODY_LIMIT = 4096;

  private final ConsoleSessions sessions;
  private final SignInGuard guard;
  private final int sessionSeconds;

  public ConsoleRoutes(NodeInfo node, Stores stores, AdminConfig cfg, OperatorStore operators, ConsoleSessions sessions,
                       AuditLog audit) {
    this.sessions = sessions;
    this.sessionSeconds = cfg.sessionSeconds();
    this.guard = new SignInGuard(stores.redis(), stores.key("console:attempts:"), cfg.signInFailures(),
        operators, audit, node.metrics());
  }

  public void mount(Router router) {
    // Vert.x matches "/console" and "/console/" alike: only the bare one is sent to the page's address.
    router.get("/console").handler(rc -> {
      if (rc.request().path().endsWith("/")) {
        rc.next();
      } else {
        rc.redirect("/console/");
      }
    });
    router.post("/console/session").handler(BodyHandler.create().setBodyLimit(SIGN_IN_BODY_LIMIT));
    router.post("/console/session").handler(rc -> Http.respond(rc, 200, this::signIn));
    router.get("/console/session").handler(rc -> Http.respond(rc, 200, this::current));
    router.delete("/console/session").handler(rc -> Http.respond(rc, 204, this::signOut));
    router.route("/console/*").handler(rc -> {
      rc.response().putHeader("Content-Security-Policy", CSP).putHeader("X-Frame-Options", "DENY")
          .putHeader("X-Content-Type-Options", "nosniff").putHeader("Referrer-Policy", "no-referrer");
      rc.next();
    });
    router.route("/console/*").handler(StaticHandler.create("console").setCachingEnabled(false));
  }

  private Future<JsonObject> signIn(RoutingContext rc) {
    JsonObject b = Http.jsonBody(rc);
    String name = Fields.requireString(b, "name", 64);
    String password = Fields.requireString(b, "password", 256);
    AuditContext who = new AuditContext("", Http.requestId(rc), "POST /console/session", Http.source(rc));
    return guard.signIn(name, password, who)
        .compose(sessions::create)
        .map(created -> {
          Cookie c = Cookie.cookie(COOKIE, created.token()).setHttpOnly(true).setSameSite(CookieSameSite.STRICT)
              .setPath("/").setSecure(Http.tls(rc))
              .setMaxAge(sessionSeconds);
          rc.response().addCookie(c);
          return created.session().toJson();
        });
  }

  private Future<JsonObject> current(RoutingContext rc) {
    Cookie c = rc.request().getCookie(COOKIE);
    return sessions.lookup(c == null ? null : c.getValue()).compose(s -> s == null
        ? Future.failedFuture(ErrorCode.AUTH_INVALID.error("not signed in"))
        : Future.succeededFuture(s.toJson()));
  }

  /** Signing out is a write: it needs the session's CSRF token like any other. */
  private Future<JsonObject> signOut(RoutingContext rc) {
    Cookie c = rc.request().getCookie(COOKIE);
    String token = c == null ? null : c.getValue();
    return sessions.lookup(token).compose(s -> {
      if (s == null) {
        return Future.succeededFuture();
      }
      if (!s.csrfMatches(rc.request().getHeader(CSRF_HEADER))) {
        return Future.failedFuture(ErrorCode.FORBIDDEN.error(CSRF_HEADER + " missing or wrong"));
      }
      return sessions.delete(token);
    }).map(v -> {
      rc.response().addCookie(Cookie.cookie(COOKIE, "").setPath("/").setMaxAge(0).setHttpOnly(true)
          .setSameSite(CookieSameSite.STRICT).setSecure(Http.tls(rc)));
      return null;
    });
  }
}
