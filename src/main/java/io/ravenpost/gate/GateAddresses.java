package io.ravenpost.gate;

/**
 * The one address per node on which a gate receives pushes and kicks for its sessions. Never one
 * registration per session: Hazelcast subscriptions per session melt clusters.
 */
public final class GateAddresses {
  /** Header naming what a message to a node address asks for. */
  public static final String ACTION = "action";
  /** {@code {sessionId, frame}}: write the frame to that session if it is still online. */
  public static final String PUSH = "push";
  /** {@code {uid, sessionId, reason}}: kick that session and release its registry entry; replied after release. */
  public static final String KICK = "kick";

  private GateAddresses() {
  }

  public static String node(String nodeId) {
    return "raven.gate." + nodeId;
  }
}
