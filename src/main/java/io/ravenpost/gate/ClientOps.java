package io.ravenpost.gate;

import java.util.Map;

/**
 * Client ops the gate does not answer itself, and the cluster address that does. The gate
 * forwards them with headers {@code op}, {@code uid} and {@code sessionId}; the body is the
 * request body and the reply body is sent back as it is.
 */
final class ClientOps {
  static final String LOGIN = "auth.login";
  static final String HEARTBEAT = "heartbeat";

  /** Mail ops; answered by any node with the mail role. */
  static final String MAIL_CLIENT = "raven.mail.client";
  /** Presence watch; answered by any node with the online role. */
  static final String PRESENCE_CLIENT = "raven.online.client";
  /** {@code {uid, claims}} → {@code {unread}}: the mail side of a login (users row, offline mail). */
  static final String MAIL_LOGIN = "raven.mail.login";
  /** {@code {uid}} → {@code {unread, newMail}}. */
  static final String MAIL_HEARTBEAT = "raven.mail.heartbeat";

  static final Map<String, String> FORWARDED = Map.ofEntries(
      Map.entry("mail.list", MAIL_CLIENT),
      Map.entry("mail.open", MAIL_CLIENT),
      Map.entry("mail.claim", MAIL_CLIENT),
      Map.entry("mail.claimAll", MAIL_CLIENT),
      Map.entry("mail.delete", MAIL_CLIENT),
      Map.entry("mail.send", MAIL_CLIENT),
      Map.entry("mail.unread", MAIL_CLIENT),
      Map.entry("presence.watch", PRESENCE_CLIENT));

  /** Ops that may be held by the other side (long polls) get a longer reply timeout. */
  static boolean longPoll(String op) {
    return op.equals("presence.watch");
  }

  private ClientOps() {
  }
}
