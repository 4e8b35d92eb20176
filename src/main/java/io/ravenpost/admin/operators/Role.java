package io.ravenpost.admin.operators;

import io.ravenpost.api.ErrorCode;
import java.util.Locale;

/** What an operator of the console may do; each role includes the ones before it. */
public enum Role {
  /** Reads: dashboard, mailboxes, global mail, the audit trail. */
  VIEWER,
  /** Also sends mail, retracts global mail, kicks players. */
  OPERATOR,
  /** Everything, including operators' accounts and the internal API. */
  ADMIN;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public boolean atLeast(Role other) {
    return ordinal() >= other.ordinal();
  }

  public static Role parse(String s) {
    for (Role r : values()) {
      if (r.wire().equals(s)) {
        return r;
      }
    }
    throw ErrorCode.BAD_REQUEST.error("role must be viewer, operator or admin, not " + s);
  }
}
