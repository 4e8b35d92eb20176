package io.ravenpost.api;

/**
 * The client ops of PROTOCOL.md, with the cluster address that answers each one the gate does
 * not answer itself.
 */
public enum ClientOp {
  AUTH_LOGIN("auth.login", null),
  HEARTBEAT("heartbeat", null),
  MAIL_LIST("mail.list", Addresses.MAIL_CLIENT),
  MAIL_OPEN("mail.open", Addresses.MAIL_CLIENT),
  MAIL_CLAIM("mail.claim", Addresses.MAIL_CLIENT),
  MAIL_CLAIM_ALL("mail.claimAll", Addresses.MAIL_CLIENT),
  MAIL_DELETE("mail.delete", Addresses.MAIL_CLIENT),
  MAIL_SEND("mail.send", Addresses.MAIL_CLIENT),
  MAIL_UNREAD("mail.unread", Addresses.MAIL_CLIENT),
  /** A long poll: held by the online role until a state differs or the wait passes. */
  PRESENCE_WATCH("presence.watch", Addresses.ONLINE_CLIENT);

  private final String wire;
  private final String address;

  ClientOp(String wire, String address) {
    this.wire = wire;
    this.address = address;
  }

  /** The op's name on the wire. */
  public String wire() {
    return wire;
  }

  /** The address the gate forwards the op to; null for ops the gate answers itself. */
  public String address() {
    return address;
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
