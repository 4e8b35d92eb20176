package io.ravenpost.api.gate;

import io.ravenpost.api.Headers;

/**
 * What a message to a node's gate address asks for, in its {@link Headers#ACTION} header: the one
 * address per node carries several kinds of message.
 */
public enum GateAction {
  /** {@link Push}: one frame for one session (nodes of an earlier version send these). */
  PUSH("push"),
  /** {@link Pushes}: frames for several sessions of the node. */
  PUSHES("pushes"),
  /** {@link Kick}: close a session and release its entry; answered {@link Released}. */
  KICK("kick"),
  /** {@link Broadcast}: an {@code online} global mail for the node's players; answered {@link BroadcastReply}. */
  BROADCAST("broadcast");

  private final String wire;

  GateAction(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The action named {@code s}, or null. */
  public static GateAction of(String s) {
    for (GateAction a : values()) {
      if (a.wire.equals(s)) {
        return a;
      }
    }
    return null;
  }
}
