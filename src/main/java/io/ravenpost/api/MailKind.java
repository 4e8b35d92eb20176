package io.ravenpost.api;

/** What kind of mail a mailbox row is ({@code kind} of a summary). */
public enum MailKind {
  /** Sent by an operator or a service. */
  SYSTEM("system"),
  /** Sent by another player (text only). */
  PLAYER("player"),
  /** A copy of a global mail. */
  GLOBAL("global");

  private final String wire;

  MailKind(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The kind named {@code s}, or null. */
  public static MailKind of(String s) {
    for (MailKind k : values()) {
      if (k.wire.equals(s)) {
        return k;
      }
    }
    return null;
  }
}
