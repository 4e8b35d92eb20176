package io.ravenpost.api;

/**
 * The client ops of PROTOCOL.md, with the role that answers each one the gate does not answer
 * itself (the gate forwards those as a {@link ClientRequest}).
 */
public enum ClientOp {
  AUTH_LOGIN("auth.login", NodeRole.GATE),
  HEARTBEAT("heartbeat", NodeRole.GATE),
  MAIL_LIST("mail.list", NodeRole.MAIL),
  MAIL_OPEN("mail.open", NodeRole.MAIL),
  MAIL_CLAIM("mail.claim", NodeRole.MAIL),
  MAIL_CLAIM_ALL("mail.claimAll", NodeRole.MAIL),
  MAIL_DELETE("mail.delete", NodeRole.MAIL),
  MAIL_SEND("mail.send", NodeRole.MAIL),
  MAIL_UNREAD("mail.unread", NodeRole.MAIL),
  /** What changed in the mailbox since a {@code seq} the client applied (the change feed). */
  MAIL_SYNC("mail.sync", NodeRole.MAIL),
  /** A long poll: held by the online role until a state differs or the wait passes. */
  PRESENCE_WATCH("presence.watch", NodeRole.ONLINE);

  private final String wire;
  private final NodeRole role;

  ClientOp(String wire, NodeRole role) {
    this.wire = wire;
    this.role = role;
  }

  /** The op's name on the wire. */
  public String wire() {
    return wire;
  }

  /** The role that answers it: the gate itself, or the one it is forwarded to. */
  public NodeRole role() {
    return role;
  }

  /** Ops the other side may hold (long polls) get a longer reply timeout, and a stop does not wait for them. */
  public boolean longPoll() {
    return this == PRESENCE_WATCH;
  }

  /** The op named {@code wire}, or null. */
  public static ClientOp of(String wire) {
    for (ClientOp op : values()) {
      if (op.wire.equals(wire)) {
        return op;
      }
    }
    return null;
  }
}
