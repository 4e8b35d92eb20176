package io.ravenpost.api;

import java.util.Locale;

/** The roles a node runs ({@code node.roles}): every node can run every one. */
public enum NodeRole {
  /** Client connections: sessions, logins, heartbeats, pushes. */
  GATE,
  /** The account registry's services and the long-poll watches. */
  ONLINE,
  /** Mailboxes, global mail, claims, sends. */
  MAIL,
  /** Periodic jobs, each run by one node of the cluster at a time. */
  SCHEDULER,
  /** The admin and internal HTTP API and the operators' console. */
  ADMIN;

  /** The role's name in config. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role named {@code s} in config, or null. */
  public static NodeRole of(String s) {
    for (NodeRole r : values()) {
      if (r.wire().equals(s)) {
        return r;
      }
    }
    return null;
  }
}
