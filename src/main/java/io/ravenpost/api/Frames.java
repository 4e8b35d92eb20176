package io.ravenpost.api;

import io.vertx.core.json.JsonObject;

/** The three frame shapes of PROTOCOL.md: reply, error reply, push. */
public final class Frames {
  /** A request frame's fields: {@code {id, op, body}}. */
  public static final String ID = "id";
  public static final String OP = "op";
  public static final String BODY = "body";
  /** Push op of {@link #mailNew}. */
  public static final String MAIL_NEW = "mail.new";
  /** Push op of {@link #mailChanged}. */
  public static final String MAIL_CHANGED = "mail.changed";
  /** Push op of {@link #kicked}. */
  public static final String SESSION_KICKED = "session.kicked";

  private Frames() {
  }

  public static JsonObject ok(Object id, JsonObject body) {
    return new JsonObject().put(ID, id).put("ok", true).put(BODY, body == null ? new JsonObject() : body);
  }

  public static JsonObject error(Object id, ErrorCode code, String message) {
    return new JsonObject().put(ID, id).put("ok", false)
        .put("error", new JsonObject().put("code", code.name()).put("message", message));
  }

  /**
   * An INTERNAL error: what failed stays in the server's log under {@code requestId}; the client
   * gets the code and the id to quote, never the exception's text (it may name tables or hosts).
   */
  public static JsonObject internal(Object id, String requestId) {
    JsonObject f = error(id, ErrorCode.INTERNAL, "internal error; the server log has request " + requestId);
    f.getJsonObject("error").put("requestId", requestId);
    return f;
  }

  public static JsonObject push(String op, JsonObject body) {
    return new JsonObject().put(OP, op).put(BODY, body);
  }

  /**
   * Push: new mail for the player, {@code {mail: summary, unread, seq}}; {@code seq} is null for
   * an online broadcast, told before its copy is written (the copy's change follows in the feed).
   */
  public static JsonObject mailNew(JsonObject summary, long unread, Long seq) {
    JsonObject body = new JsonObject().put("mail", summary).put("unread", unread);
    if (seq != null) {
      body.put("seq", seq);
    }
    return push(MAIL_NEW, body);
  }

  /** Push: a change this session did not ask for, {@code {change: {seq, type, mailId}, unread}}. */
  public static JsonObject mailChanged(JsonObject change, long unread) {
    return push(MAIL_CHANGED, new JsonObject().put("change", change).put("unread", unread));
  }

  /** Push: the server is about to close this connection, {@code {reason}}. */
  public static JsonObject kicked(KickReason reason) {
    return push(SESSION_KICKED, new JsonObject().put("reason", reason.name()));
  }
}
