package io.ravenpost.online;

/**
 * Event-bus addresses of the long-poll watches (seed 001): a watcher says what it knows, the
 * answer comes only when that is no longer true or the wait runs out. Every watch is held on the
 * node with the {@code online} role that received it; the change feeds below are published
 * cluster-wide, so a change on any node wakes watches on every node.
 */
public final class WatchAddresses {
  /**
   * Request {@code {uid, known?, watcher?, waitMs?, ref?}} → {@code {unread}}. Answered at once
   * when the uid's unread count differs from {@code known} (or {@code known} is absent, or
   * {@code waitMs} is 0); otherwise held until it differs or the wait passes, then answered with
   * the unchanged count. A second watch of the same {@code watcher} for the same uid answers the
   * first. {@code ref} names this request for {@link #CANCEL}. Fails UNAVAILABLE when the node
   * holds {@code watch.maxHeldPerNode} watches or stops, BAD_REQUEST on a malformed body.
   */
  public static final String MAIL_WATCH = "raven.mail.watch";

  /**
   * The mail role's feed ({@code MailAddresses.UNREAD_CHANGED}), published cluster-wide: {@code {uid, unread, at}} whenever a uid's unread
   * count may have changed. Unread watches on that uid wake on it, after reading the count again
   * with {@code mail.unread} (two changes close together may be announced out of order).
   */
  public static final String UNREAD_CHANGED = "raven.mail.unread.changed";

  /**
   * The mail role's client service ({@code MailAddresses.CLIENT}); with headers
   * {@code op=mail.unread}, {@code uid} → {@code {unread}}. Named here too so that the online
   * package does not depend on the mail package (which depends on it).
   */
  public static final String MAIL_CLIENT = "raven.mail.client";

  /** The {@code op} header value that asks {@link #MAIL_CLIENT} for a uid's unread count. */
  public static final String OP_MAIL_UNREAD = "mail.unread";

  /**
   * Client ops the gate forwards for the online role, with headers {@code op}, {@code uid},
   * {@code sessionId}, {@code node}. Op {@code presence.watch}: body {@code {uids, known, waitMs?}}
   * → {@code {online}}, the watcher being the session (one outstanding watch per session).
   */
  public static final String PRESENCE_CLIENT = "raven.online.client";

  /** The client op answered on {@link #PRESENCE_CLIENT}. */
  public static final String OP_PRESENCE_WATCH = "presence.watch";

  /**
   * Request {@code {uids: [≤ 200], known?: {uid: bool}, waitMs?, watcher?, ref?}} →
   * {@code {online: {uid: bool}}} with only the uids whose state differs from {@code known} (a uid
   * missing from {@code known} always differs); held until one differs or the wait passes, then
   * {@code {online: {}}}. For services and the HTTP API; same rules as {@link #PRESENCE_CLIENT}.
   */
  public static final String PRESENCE_WATCH = "raven.online.watch";

  /**
   * Published {@code {ref}}: the caller of the held watch with that {@code ref} is gone (an HTTP
   * client disconnected); the node holding it drops it.
   */
  public static final String CANCEL = "raven.watch.cancel";

  /**
   * Published {@code {}} by the scheduler's {@code stale-watches} job: every node checks the
   * sessions behind its held presence watches against the registry and drops those gone.
   */
  public static final String SWEEP = "raven.watch.sweep";

  private WatchAddresses() {
  }
}
