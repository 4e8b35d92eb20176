package io.ravenpost.api.feed;

/** The {@code type} of a change in a mailbox's feed (PROTOCOL.md "Change feed"). */
public enum ChangeType {
  /** A mail arrived or opened (its {@code startsAt} passed); the change carries its summary. */
  NEW("new"),
  READ("read"),
  /** Its attachments were claimed. A claim of an unread mail also reads it: two changes, read then claimed. */
  CLAIMED("claimed"),
  /** The player deleted it, or the mailbox's capacity made room. */
  DELETED("deleted"),
  EXPIRED("expired"),
  /** An operator took it back ({@code DELETE /admin/users/{uid}/mail/{mailId}}, {@code /admin/sends/{sendId}}). */
  RECALLED("recalled"),
  /** Its global mail was retracted. */
  RETRACTED("retracted");

  private final String wire;

  ChangeType(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** The type named {@code s}, or null. */
  public static ChangeType of(String s) {
    for (ChangeType t : values()) {
      if (t.wire.equals(s)) {
        return t;
      }
    }
    return null;
  }

  /** The mail is gone from the mailbox after this change. */
  public boolean removes() {
    return this == DELETED || this == EXPIRED || this == RECALLED || this == RETRACTED;
  }
}
