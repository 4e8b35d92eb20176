package io.ravenpost.api;

/** Why a session was closed by the server: the {@code reason} of the {@code session.kicked} push. */
public enum KickReason {
  /** Another login of the same account took over. */
  LOGIN_ELSEWHERE,
  /** An operator kicked the player. */
  ADMIN,
  /** The node is stopping, or fenced itself because it could not renew its lease. */
  SHUTDOWN;

  /** The reason named by {@code s}, or {@code dflt} when it names none. */
  public static KickReason parse(String s, KickReason dflt) {
    for (KickReason r : values()) {
      if (r.name().equals(s)) {
        return r;
      }
    }
    return dflt;
  }
}
