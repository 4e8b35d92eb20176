package io.ravenpost.api;

/**
 * Every error a client, a producer or an operator can see. The names are the wire codes of
 * PROTOCOL.md; the HTTP status is used by the admin router. Failures travel as one of these
 * from where they arise to the edge, which maps them in one place.
 */
public enum ErrorCode {
  BAD_REQUEST(400),
  UNKNOWN_OP(400),
  NOT_AUTHENTICATED(401),
  AUTH_INVALID(401),
  AUTH_EXPIRED(401),
  FORBIDDEN(403),
  LOGIN_CONFLICT(409),
  NOT_FOUND(404),
  MAIL_EXPIRED(410),
  ALREADY_CLAIMED(409),
  NO_ATTACHMENTS(409),
  HAS_UNCLAIMED(409),
  IN_FLIGHT(409),
  IDEMPOTENCY_MISMATCH(422),
  RATE_LIMITED(429),
  TOO_LARGE(413),
  UNAVAILABLE(503),
  INTERNAL(500);

  /** Event-bus failure codes are this base plus the ordinal, so they survive a hop between nodes. */
  public static final int REPLY_CODE_BASE = 4000;

  private final int httpStatus;

  ErrorCode(int httpStatus) {
    this.httpStatus = httpStatus;
  }

  public int httpStatus() {
    return httpStatus;
  }

  public int replyCode() {
    return REPLY_CODE_BASE + ordinal();
  }

  public RavenException error(String message) {
    return new RavenException(this, message);
  }

  public static ErrorCode fromReplyCode(int code) {
    int i = code - REPLY_CODE_BASE;
    return i >= 0 && i < values().length ? values()[i] : INTERNAL;
  }
}
