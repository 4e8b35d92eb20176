package io.ravenpost.api;

/** Event-bus header names. */
public final class Headers {
  /** The client op a forwarded request carries ({@link ClientOp#wire()}). */
  public static final String OP = "op";
  /** The authenticated uid of the session a forwarded request comes from (decimal). */
  public static final String UID = "uid";
  /** The session a forwarded request comes from. */
  public static final String SESSION_ID = "sessionId";
  /** The node whose gate holds that session. */
  public static final String NODE = "node";
  /**
   * What a message to a gate address asks for: the gate action ({@link io.ravenpost.api.gate.GateAction}):
   * push, pushes, kick or broadcast.
   */
  public static final String ACTION = "action";
  /** Who asked, for the audit trail: an operator's name or {@code token:<sub>} ({@link AuditContext}). */
  public static final String ACTOR = "actor";
  /** The request id of the HTTP request (or client frame) this message serves; logged with every line. */
  public static final String REQUEST_ID = "requestId";
  /** The HTTP route a write came through ({@code POST /admin/mail}), for the audit trail. */
  public static final String ROUTE = "route";
  /** The network address the HTTP request came from, for the audit trail. */
  public static final String SOURCE = "source";

  private Headers() {
  }
}
