package io.ravenpost.api;

/**
 * Every error a client, a producer or an operator can see. The names are the wire codes of
 * PROTOCOL.md; the HTTP status is used by the admin router. Failures travel as one of these from
 * where they arise to the edge, which maps them in one place.
 *
 * <p>Between nodes a failure travels as its {@link #wire} number, the event bus's failure code. The
 * numbers are fixed here one by one and never change or get reused: a node of one version must
 * read the codes of another during a rolling upgrade. A new code takes the next free number.
 */
public enum ErrorCode {
  BAD_REQUEST(400, 4000),
  UNKNOWN_OP(400, 4001),
  NOT_AUTHENTICATED(401, 4002),
  AUTH_INVALID(401, 4003),
  AUTH_EXPIRED(401, 4004),
  FORBIDDEN(403, 4005),
  LOGIN_CONFLICT(409, 4006),
  NOT_FOUND(404, 4007),
  MAIL_EXPIRED(410, 4008),
  ALREADY_CLAIMED(409, 4009),
  NO_ATTACHMENTS(409, 4010),
  HAS_UNCLAIMED(409, 4011),
  IN_FLIGHT(409, 4012),
  IDEMPOTENCY_MISMATCH(422, 4013),
  RATE_LIMITED(429, 4014),
  TOO_LARGE(413, 4015),
  UNAVAILABLE(503, 4016),
  INTERNAL(500, 4017);

  private final int httpStatus;
  private final int wire;

  ErrorCode(int httpStatus, int wire) {
    this.httpStatus = httpStatus;
    this.wire = wire;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** The event-bus failure code of this error, the same on every version of every node. */
  public int wire() {
    return wire;
  }

  public RavenException error(String message) {
    return new RavenException(this, message);
  }

  /** The code a failure number names; INTERNAL for a number no version ever gave out. */
  public static ErrorCode fromWire(int code) {
    for (ErrorCode c : values()) {
      if (c.wire == code) {
        return c;
      }
    }
    return INTERNAL;
  }
}
