package io.ravenpost.mail;

/**
 * Event-bus addresses of the mail role: the contract for code inside the cluster. Requests are
 * answered by any node with the mail role; failures carry an {@link io.ravenpost.common.ErrorCode}
 * as the reply failure code.
 */
public final class MailAddresses {
  /**
   * Client mail ops forwarded by the gate: headers {@code op} ({@code mail.list}, {@code mail.open},
   * {@code mail.claim}, {@code mail.claimAll}, {@code mail.delete}, {@code mail.send},
   * {@code mail.unread}), {@code uid}, {@code sessionId}, {@code node}; the body is the client's
   * request body and the reply body is the client's reply body (PROTOCOL.md).
   */
  public static final String CLIENT = "raven.mail.client";

  /**
   * Request {@code {uid, sessionId, claims: {uid, role, name?, createdAt?, zone?, level?, tags?}}}
   * → {@code {unread}}: the mail side of a login, sent by the gate once the session owns its
   * registry entry. Records the player in the {@code users} table (send-by-name, segments).
   */
  public static final String LOGIN = "raven.mail.login";

  /** Request {@code {uid}} → {@code {unread, newMail}}: {@code newMail} while the new-mail marker is set. */
  public static final String HEARTBEAT = "raven.mail.heartbeat";

  /** Request {@code {uid}} → {@code {unread}}: the unread count, read from MySQL (for other roles' routes). */
  public static final String UNREAD = "raven.mail.unread";

  /**
   * Request: the body of {@code POST /internal/mail} plus {@code idempotencyKey} (required,
   * 1..128 printable ASCII characters) → {@code {mailIds}} for target {@code users}. The same key
   * with the same body answers the first result and sends nothing new; with another body it fails
   * {@code IDEMPOTENCY_MISMATCH}; while the first is running, {@code IN_FLIGHT}.
   */
  public static final String SEND = "raven.mail.send";

  /**
   * Request: the body of {@code POST /admin/mail}, {@code idempotencyKey} optional → as {@link #SEND}.
   * For the admin router; other code uses {@link #SEND}.
   */
  public static final String ADMIN_SEND = "raven.mail.admin.send";

  /**
   * Request {@code {uid, cursor?, limit?}} → {@code {mails: [full mail], nextCursor}}: a mailbox as
   * an operator sees it ({@code GET /admin/users/{uid}/mail}); does not mark anything read.
   */
  public static final String ADMIN_MAILBOX = "raven.mail.admin.mailbox";

  /**
   * Published cluster-wide (event-bus publish) whenever a uid's unread count may have changed:
   * mail stored, opened, claimed, deleted, evicted or expired. Body {@code {uid, unread, at}}:
   * {@code unread} is the count read from MySQL after the change committed, {@code at} when it was
   * read (epoch ms). Two changes close together may be announced out of order; a consumer that
   * needs the exact figure re-reads it ({@code mail.unread} or {@code GET /internal/users/{uid}/unread}).
   */
  public static final String UNREAD_CHANGED = "raven.mail.unread.changed";

  /**
   * Granted attachments, sent by the outbox relay as a request
   * {@code {grantId, uid, mailId, attachments: [{type, id, amount}], reason}} ({@code reason}
   * {@code claim} or {@code expiry}). Any reply acknowledges the grant; a failure or no reply
   * within {@code mail.grantTimeoutMs} makes the relay send it again later, so consumers must
   * treat {@code grantId} as an idempotency key.
   */
  public static final String REWARD_GRANT = "raven.reward.grant";

  private MailAddresses() {
  }
}
