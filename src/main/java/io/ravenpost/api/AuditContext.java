package io.ravenpost.api;

import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.DeliveryOptions;

/**
 * Who is writing, carried from the HTTP edge to the feature that writes (as event-bus headers
 * {@link Headers#ACTOR}, {@link Headers#REQUEST_ID}, {@link Headers#ROUTE}), so the feature can
 * put the audit row in the same transaction as the write.
 *
 * @param actor     an operator's name, {@code token:<sub>} for an admin or service token, {@code cli:<user>}
 * @param requestId the request id answered in {@code X-Request-Id} and logged with every line
 * @param route     {@code METHOD /path} of the write
 * @param source    the caller's network address (a trusted proxy's {@code X-Forwarded-For}), "" when unknown
 */
public record AuditContext(String actor, String requestId, String route, String source) {
  /** Audit actions, as {@code GET /admin/audit} lists them. */
  public static final String SEND = "send";
  public static final String SEND_GLOBAL = "send.global";
  public static final String RETRACT = "retract";
  public static final String RECALL = "recall";
  public static final String KICK = "kick";
  public static final String SCHEDULE_CREATE = "schedule.create";
  public static final String SCHEDULE_DELETE = "schedule.delete";
  public static final String GRANT_RESEND = "grant.resend";
  public static final String TEMPLATE_PUT = "template.put";
  public static final String OPERATOR_ADD = "operator.add";
  public static final String OPERATOR_ROLE = "operator.role";
  public static final String OPERATOR_PASSWORD = "operator.password";
  public static final String OPERATOR_REMOVE = "operator.remove";
  public static final String SIGN_IN = "signin";
  public static final String SIGN_IN_FAILED = "signin.failed";
  public static final String SIGN_IN_LOCKED = "signin.locked";

  /** A caller without a known network address (the command line, code inside the cluster). */
  public AuditContext(String actor, String requestId, String route) {
    this(actor, requestId, route, "");
  }

  /** The headers of a request sent on behalf of this caller. */
  public DeliveryOptions addTo(DeliveryOptions options) {
    return options.addHeader(Headers.ACTOR, actor).addHeader(Headers.REQUEST_ID, requestId)
        .addHeader(Headers.ROUTE, route).addHeader(Headers.SOURCE, source);
  }

  /** The caller a message was sent for, or null when it came from inside the cluster (no audit). */
  public static AuditContext from(MultiMap headers) {
    String actor = headers.get(Headers.ACTOR);
    if (actor == null) {
      return null;
    }
    String requestId = headers.get(Headers.REQUEST_ID);
    String route = headers.get(Headers.ROUTE);
    String source = headers.get(Headers.SOURCE);
    return new AuditContext(actor, requestId == null ? "" : requestId, route == null ? "" : route,
        source == null ? "" : source);
  }
}
