package io.ravenpost.api;

import java.util.Arrays;
import java.util.List;

/** Who a send reaches ({@code target.type} of PROTOCOL.md). */
public enum TargetType {
  /** Listed players: one row in each mailbox. */
  USERS("users"),
  /** Every player who logs in before it expires. */
  ALL("all"),
  /** Players created before it was sent. */
  ALL_TO_DATE("all_to_date"),
  /** Players online now only. */
  ONLINE("online"),
  /** Players whose attributes match (zone, level range, tags). */
  SEGMENT("segment");

  private final String wire;

  TargetType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** Every target but {@link #USERS}: one global mail that many players receive. */
  public boolean global() {
    return this != USERS;
  }

  /** The type named {@code s}, or null. */
  public static TargetType of(String s) {
    for (TargetType t : values()) {
      if (t.wire.equals(s)) {
        return t;
      }
    }
    return null;
  }

  /** Every name, for error messages. */
  public static List<String> names() {
    return Arrays.stream(values()).map(TargetType::wire).toList();
  }
}
