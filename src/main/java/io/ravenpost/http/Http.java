package io.ravenpost.http;

import io.ravenpost.api.AuditContext;
import io.ravenpost.api.Endpoint;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Headers;
import io.ravenpost.api.PageQuery;
import io.ravenpost.api.RavenException;
import io.ravenpost.common.Bus;
import io.ravenpost.common.Errors;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** HTTP plumbing shared by every admin route: JSON bodies, coded errors, path parameters. */
public final class Http {
  private static final Logger LOG = LoggerFactory.getLogger(Http.class);
  private static final long ASK_TIMEOUT_MS = 30_000;
  /** Where the edge keeps the authenticated caller of a request ({@link #caller}). */
  public static final String CALLER = "ravenCaller";
  /** Where the edge keeps the request's id ({@link #requestId}). */
  public static final String REQUEST_ID = "ravenRequestId";
  /** The error code a request was answered with, for the audit of refused writes and the access log. */
  public static final String ERROR_CODE = "ravenErrorCode";
  /** Where the edge keeps the caller's network address ({@link #source}). */
  public static final String SOURCE = "ravenSource";
  /** Where the edge keeps whether the caller reached us over TLS (directly or through a trusted proxy). */
  public static final String TLS = "ravenTls";
  /** The audit actor of a token is this prefix and the token's subject. */
  public static final String TOKEN_ACTOR = "token:";

  private Http() {
  }

  /** Sends {@code status} with the handler's JSON result; failures become coded errors. */
  public static void respond(RoutingContext rc, int status, Function<RoutingContext, Future<JsonObject>> handler) {
    Future<JsonObject> f;
    try {
      f = handler.apply(rc);
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    f.onComplete(ar -> {
      if (ar.failed()) {
        error(rc, ar.cause());
      } else if (ar.result() == null || status == 204) {
        rc.response().setStatusCode(status == 200 ? 204 : status).end();
      } else {
        rc.response().setStatusCode(status).putHeader("content-type", "application/json")
            .end(ar.result().encode());
      }
    });
  }

  public static void error(RoutingContext rc, Throwable t) {
    if (rc.response().ended()) {
      return;
    }
    RavenException e = Errors.toRaven(t);
    rc.put(ERROR_CODE, e.code().name());
    String message = e.getMessage();
    if (e.code() == ErrorCode.INTERNAL) {
      // The exception's text may name tables, hosts or code: it goes to the log, the caller gets the id.
      LOG.warn("{} {} failed request={}: {}", rc.request().method(), rc.request().path(), requestId(rc), t.toString());
      message = "internal error; the server log has request " + requestId(rc);
    }
    rc.response().setStatusCode(e.code().httpStatus()).putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", new JsonObject().put("code", e.code().name())
            .put("message", message).put("requestId", requestId(rc))).encode());
  }

  /** The id of this request (the caller's {@code X-Request-Id} when sane, else a fresh one); "" outside the edge. */
  public static String requestId(RoutingContext rc) {
    String id = rc.get(REQUEST_ID);
    return id == null ? "" : id;
  }

  /** The caller's network address as the edge established it; "" outside the edge. */
  public static String source(RoutingContext rc) {
    String s = rc.get(SOURCE);
    return s == null ? "" : s;
  }

  /** Whether the caller's browser reached us over TLS: cookies set for it are then {@code Secure}. */
  public static boolean tls(RoutingContext rc) {
    return Boolean.TRUE.equals(rc.get(TLS));
  }

  /**
   * Who owns this caller's idempotency keys: a token's subject (PROTOCOL.md), or
   * {@code operator:<name>} for a console session, so two producers that pick the same key never meet.
   */
  public static String producer(RoutingContext rc) {
    AuditContext who = caller(rc);
    if (who == null) {
      return "anonymous";
    }
    String actor = who.actor();
    return actor.startsWith(TOKEN_ACTOR) ? actor.substring(TOKEN_ACTOR.length()) : "operator:" + actor;
  }

  /** Who is calling, as the edge authenticated them; null on routes without authentication. */
  public static AuditContext caller(RoutingContext rc) {
    return rc.get(CALLER);
  }

  /**
   * Asks a cluster service on behalf of this HTTP request: the request id travels along (it is
   * logged with every line the service writes for it), and so does the caller, so a write can put
   * its audit row in its own transaction.
   */
  public static <Q, A> Future<A> ask(RoutingContext rc, Endpoint<Q, A> endpoint, Q request) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(ASK_TIMEOUT_MS);
    AuditContext who = caller(rc);
    if (who != null) {
      who.addTo(opts);
    } else {
      opts.addHeader(Headers.REQUEST_ID, requestId(rc));
    }
    return Bus.request(rc.vertx(), endpoint, request, opts);
  }

  /** {@link #ask}, answered with the reply's wire form: for routes that hand the service's answer on as it is. */
  public static <Q, A> Future<JsonObject> relay(RoutingContext rc, Endpoint<Q, A> endpoint, Q request) {
    return ask(rc, endpoint, request).map(a -> endpoint.reply().encode(a));
  }

  public static long uidParam(RoutingContext rc) {
    return longParam(rc, "uid");
  }

  public static long longParam(RoutingContext rc, String name) {
    String v = rc.pathParam(name);
    if (v == null || !v.matches("-?\\d{1,19}")) {
      throw new RavenException(ErrorCode.BAD_REQUEST, name + " must be a decimal int64");
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new RavenException(ErrorCode.BAD_REQUEST, name + " must be a decimal int64");
    }
  }

  /** The page parameters {@code cursor} and {@code limit} of the query string, checked. */
  public static PageQuery pageQuery(RoutingContext rc) {
    JsonObject body = new JsonObject();
    for (String name : new String[] {"cursor", "limit"}) {
      String v = rc.request().getParam(name);
      if (v != null && !v.isEmpty()) {
        body.put(name, v);
      }
    }
    return PageQuery.fromJson(body);
  }

  /** The request body as a JSON object, or BAD_REQUEST. */
  public static JsonObject jsonBody(RoutingContext rc) {
    try {
      JsonObject o = rc.body().asJsonObject();
      if (o == null) {
        throw new RavenException(ErrorCode.BAD_REQUEST, "a JSON object body is required");
      }
      return o;
    } catch (RuntimeException e) {
      if (e instanceof RavenException r) {
        throw r;
      }
      throw new RavenException(ErrorCode.BAD_REQUEST, "the body is not a JSON object");
    }
  }
}
