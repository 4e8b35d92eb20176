package io.ravenpost.admin;

import io.ravenpost.admin.console.ConsoleRoutes;
import io.ravenpost.admin.console.ConsoleSessions;
import io.ravenpost.admin.operators.Role;
import io.ravenpost.api.AuditContext;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.common.Claims;
import io.ravenpost.common.Tokens;
import io.ravenpost.common.logging.LogContext;
import io.ravenpost.http.Http;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;

/**
 * Who may call {@code /admin} and {@code /internal}: a bearer token signed with the operator secret
 * (role {@code admin}: everything; {@code service}: {@code /internal} only), or a console session
 * (viewer: reads; operator: also sends, retracts, kicks; admin: everything). A token signed with
 * the player secret fails verification here whatever its role: 401. Console writes must echo the
 * session's CSRF token. Writes that are refused or fail are recorded in the audit trail here; the
 * routes record their own successes, in their transaction where there is one.
 */
final class AdminAuth implements Handler<RoutingContext> {
  /** What a route needs. */
  enum Need { READ, WRITE, OPERATORS, INTERNAL }

  /** The audit actor of a request whose caller could not be established. */
  static final String ANONYMOUS = "anonymous";

  private final Tokens tokens;
  private final ConsoleSessions sessions;
  private final AuditLog audit;

  AdminAuth(Tokens tokens, ConsoleSessions sessions, AuditLog audit) {
    this.tokens = tokens;
    this.sessions = sessions;
    this.audit = audit;
  }

  @Override
  public void handle(RoutingContext rc) {
    // The body is read (by the BodyHandler after this) only once the caller is known; a session
    // lookup is a database read, so the request must not lose its body meanwhile.
    rc.request().pause();
    if (isWrite(rc.request().method())) {
      rc.addBodyEndHandler(v -> auditFailure(rc));
    }
    String h = rc.request().getHeader("Authorization");
    Cookie cookie = rc.request().getCookie(ConsoleRoutes.COOKIE);
    Need need = need(rc.request().method(), rc.normalizedPath());
    Future<Void> checked;
    if (h != null) {
      checked = !h.regionMatches(true, 0, "Bearer ", 0, 7)
          ? Future.failedFuture(ErrorCode.AUTH_INVALID.error("Authorization: Bearer <token> required"))
          : tokens.verify(h.substring(7).trim()).compose(c -> token(rc, c, need));
    } else if (cookie != null) {
      checked = sessions.lookup(cookie.getValue()).compose(s -> console(rc, s, need));
    } else {
      checked = Future.failedFuture(ErrorCode.AUTH_INVALID.error(
          "Authorization: Bearer <token> (operator secret) or a console session required"));
    }
    checked.onComplete(ar -> {
      if (ar.succeeded()) {
        rc.next();
      } else {
        rc.request().resume();
        Http.error(rc, ar.cause());
      }
    });
  }

  private Future<Void> token(RoutingContext rc, Claims c, Need need) {
    identify(rc, Http.TOKEN_ACTOR + c.uid());
    boolean ok = Claims.ADMIN.equals(c.role()) || (Claims.SERVICE.equals(c.role()) && need == Need.INTERNAL);
    return ok ? Future.succeededFuture()
        : Future.failedFuture(ErrorCode.FORBIDDEN.error("role " + c.role() + " may not call this route"));
  }

  private Future<Void> console(RoutingContext rc, ConsoleSessions.Session s, Need need) {
    if (s == null) {
      return Future.failedFuture(ErrorCode.AUTH_INVALID.error("console session expired; sign in again"));
    }
    identify(rc, s.operator());
    if (!allows(s.role(), need)) {
      return Future.failedFuture(ErrorCode.FORBIDDEN.error("operator " + s.operator() + " (" + s.role().wire()
          + ") may not call this route"));
    }
    if (isWrite(rc.request().method()) && !s.csrfMatches(rc.request().getHeader(ConsoleRoutes.CSRF_HEADER))) {
      return Future.failedFuture(ErrorCode.FORBIDDEN.error(ConsoleRoutes.CSRF_HEADER + " missing or wrong"));
    }
    return Future.succeededFuture();
  }

  /** The caller is known from here on: routes read it, and a write's refusal or failure is audited. */
  private void identify(RoutingContext rc, String actor) {
    rc.put(Http.CALLER, caller(rc, actor));
    LogContext.put(LogContext.ACTOR, actor);
  }

  private static AuditContext caller(RoutingContext rc, String actor) {
    String route = rc.request().method().name() + " " + rc.normalizedPath();
    return new AuditContext(actor, Http.requestId(rc), route.length() > 160 ? route.substring(0, 160) : route,
        Http.source(rc));
  }

  /**
   * A write refused (401, 403) is recorded whoever asked, an unknown caller as {@code anonymous},
   * coalesced per source and minute; a write that failed after it was let in is recorded on its own.
   * Routes record their successes themselves, in their transaction where there is one.
   */
  private void auditFailure(RoutingContext rc) {
    int status = rc.response().getStatusCode();
    String code = rc.get(Http.ERROR_CODE);
    if (status < 400 || code == null) {
      return;
    }
    AuditContext known = Http.caller(rc);
    AuditContext who = known != null ? known : caller(rc, ANONYMOUS);
    String path = rc.normalizedPath();
    String action = action(rc.request().method(), path);
    if (status == 401 || status == 403) {
      audit.refusal(who, action, path, code);
    } else if (known != null && need(rc.request().method(), path) != Need.READ) {
      audit.recordAlone(who, action, path, code);
    }
  }

  static boolean allows(Role role, Need need) {
    return switch (need) {
      case READ -> true;
      case WRITE -> role.atLeast(Role.OPERATOR);
      case OPERATORS, INTERNAL -> role == Role.ADMIN;
    };
  }

  static Need need(HttpMethod method, String path) {
    if (path.startsWith("/internal/")) {
      return Need.INTERNAL;
    }
    if (path.startsWith("/admin/operators")) {
      return Need.OPERATORS;
    }
    // A preview counts players; it changes nothing, so a viewer may ask before an operator sends.
    if (!isWrite(method) || path.equals("/admin/global-mail/preview")) {
      return Need.READ;
    }
    return Need.WRITE;
  }

  private static boolean isWrite(HttpMethod m) {
    return m != HttpMethod.GET && m != HttpMethod.HEAD && m != HttpMethod.OPTIONS;
  }

  /** The audit action of a write route, as its own success row names it. */
  static String action(HttpMethod m, String path) {
    if (path.endsWith("/mail") && m == HttpMethod.POST) {
      return AuditContext.SEND;
    }
    if (path.startsWith("/admin/global-mail/")) {
      return AuditContext.RETRACT;
    }
    if (m == HttpMethod.DELETE && (path.startsWith("/admin/sends/") || path.matches("/admin/users/[^/]+/mail/[^/]+"))) {
      return AuditContext.RECALL;
    }
    if (path.endsWith("/kick")) {
      return AuditContext.KICK;
    }
    if (path.startsWith("/admin/schedules")) {
      return m == HttpMethod.DELETE ? AuditContext.SCHEDULE_DELETE : AuditContext.SCHEDULE_CREATE;
    }
    if (path.startsWith("/admin/grants/")) {
      return AuditContext.GRANT_RESEND;
    }
    if (path.startsWith("/admin/templates/")) {
      return AuditContext.TEMPLATE_PUT;
    }
    if (path.startsWith("/admin/operators")) {
      return m == HttpMethod.DELETE ? AuditContext.OPERATOR_REMOVE : m == HttpMethod.PUT ? AuditContext.OPERATOR_ROLE
          : path.endsWith("/password") ? AuditContext.OPERATOR_PASSWORD : AuditContext.OPERATOR_ADD;
    }
    return m.name().toLowerCase() + " " + path;
  }
}
