package io.ravenpost.online;

/** Event-bus addresses of the online-state role. */
public final class OnlineAddresses {
  /**
   * Published cluster-wide whenever a uid comes online or goes offline:
   * {@code {uid, online, node, sessionId, at}}. The "session became owner" event: a session is
   * announced online only after it owns the registry entry, so consumers may deliver to it.
   */
  public static final String CHANGED = "raven.online.changed";
  /** Request {@code {uid}} → {@code {online, node, sessionId, since}}. */
  public static final String LOOKUP = "raven.online.lookup";
  /** Request {@code {uid, reason}} → {@code {kicked}}: closes the uid's session wherever it is. */
  public static final String KICK = "raven.online.kick";

  private OnlineAddresses() {
  }
}
