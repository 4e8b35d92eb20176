package io.ravenpost.api;

/**
 * Every event-bus address of Ravenpost: the contract for code inside the cluster. Requests are
 * answered by any node with the role named; failures carry an {@link ErrorCode} as the reply
 * failure code ({@link ErrorCode#replyCode()}). Bodies are JSON objects; the typed messages of
 * this package give the shapes that more than one feature reads.
 */
public final class Addresses {
  // --- gate -----------------------------------------------------------------------------------

  /**
   * Prefix of the one address per node on which its gate receives {@link Push} and {@link Kick}
   * (header {@link Headers#ACTION}). Never one registration per session: Hazelcast subscriptions
   * per session melt clusters.
   */
  public static final String GATE_PREFIX = "raven.gate.";

  /** Prefix of the address every node answers a ping on, whatever its roles ({@code {}} → {@code {node}}). */
  public static final String NODE_PREFIX = "raven.node.";

  // --- online state ---------------------------------------------------------------------------

  /**
   * Published cluster-wide whenever a uid comes online or goes offline: {@link OnlineChanged}. The
   * "session became owner" event: a session is announced online only after it owns the registry
   * entry, so consumers may deliver to it.
   */
  public static final String ONLINE_CHANGED = "raven.online.changed";
  /** Request {@code {uid}} → {@code {online, node, sessionId, since}}. */
  public static final String ONLINE_LOOKUP = "raven.online.lookup";
  /** Request {@code {uid, reason}} → {@code {kicked}}: closes the uid's session wherever it is. */
  public static final String ONLINE_KICK = "raven.online.kick";
  /**
   * Client ops the gate forwards to the online role ({@link ClientOp#PRESENCE_WATCH}), with
   * headers {@link Headers#OP}, {@link Headers#UID}, {@link Headers#SESSION_ID}, {@link Headers#NODE};
   * the watcher is the session (one outstanding watch per session).
   */
  public static final String ONLINE_CLIENT = "raven.online.client";
  /**
   * Request {@code {uids: [≤ 200], known?: {uid: bool}, waitMs?, watcher?, ref?}} →
   * {@code {online: {uid: bool}}} with only the uids whose state differs from {@code known} (a uid
   * missing from {@code known} always differs); held until one differs or the wait passes, then
   * {@code {online: {}}}. For services and the HTTP API; same rules as {@code presence.watch}.
   */
  public static final String ONLINE_WATCH = "raven.online.watch";
  /**
   * Request {@code {uid, known?, watcher?, waitMs?, ref?}} → {@code {unread}}: answered at once
   * when the unread count differs from {@code known} (or {@code known} is absent, or
   * {@code waitMs} is 0); else held until it differs or the wait passes. A second watch of the same
   * {@code watcher} for the same uid answers the first. UNAVAILABLE when the node holds
   * {@code watch.maxHeldPerNode} watches or stops.
   */
  public static final String MAIL_WATCH = "raven.mail.watch";
  /** Published {@code {ref}}: the caller of that held watch is gone (an HTTP client hung up). */
  public static final String WATCH_CANCEL = "raven.watch.cancel";
  /**
   * Published {@code {}} by the {@code stale-watches} job: every node checks the sessions behind
   * its held watches against the registry and drops those gone.
   */
  public static final String WATCH_SWEEP = "raven.watch.sweep";

  // --- mail -----------------------------------------------------------------------------------

  /**
   * Client mail ops forwarded by the gate (the {@code mail.*} {@link ClientOp}s), with headers
   * {@link Headers#OP}, {@link Headers#UID}, {@link Headers#SESSION_ID}, {@link Headers#NODE}; the
   * body is the client's request body and the reply body is the client's reply body.
   */
  public static final String MAIL_CLIENT = "raven.mail.client";
  /** Request {@link MailLogin} → {@code {unread}}: the mail side of a login, once the session owns its entry. */
  public static final String MAIL_LOGIN = "raven.mail.login";
  /** Request {@code {uid}} → {@code {unread, newMail}}: {@code newMail} while the new-mail marker is set. */
  public static final String MAIL_HEARTBEAT = "raven.mail.heartbeat";
  /** Request {@code {uid}} → {@code {unread}}: the unread count, read from MySQL. */
  public static final String MAIL_UNREAD = "raven.mail.unread";
  /**
   * Request: the body of {@code POST /internal/mail} plus {@code idempotencyKey} (required) →
   * {@code {mailIds}} (target {@code users}) or {@code {globalMailId}}. The same key and body
   * answer the first result and send nothing new; another body fails {@code IDEMPOTENCY_MISMATCH};
   * while the first runs, {@code IN_FLIGHT}.
   */
  public static final String MAIL_SEND = "raven.mail.send";
  /** Request: the body of {@code POST /admin/mail}, {@code idempotencyKey} optional; as {@link #MAIL_SEND}. */
  public static final String MAIL_ADMIN_SEND = "raven.mail.admin.send";
  /** Request {@code {uid, cursor?, limit?}} → {@code {mails: [full mail], nextCursor}}; marks nothing read. */
  public static final String MAIL_ADMIN_MAILBOX = "raven.mail.admin.mailbox";
  /** Published {@link UnreadChanged} whenever a uid's unread count may have changed. */
  public static final String MAIL_UNREAD_CHANGED = "raven.mail.unread.changed";
  /**
   * Granted attachments, sent by the outbox relay as a request {@code {grantId, uid, mailId,
   * attachments: [{type, id, amount}], reason}} ({@code claim} or {@code expiry}). Any reply
   * acknowledges; without one the grant is sent again, so {@code grantId} is an idempotency key.
   */
  public static final String REWARD_GRANT = "raven.reward.grant";
  /** Request {@code {cursor?, limit?}} → a page of global mail with delivery counts, newest first. */
  public static final String GLOBAL_LIST = "raven.mail.global.list";
  /** Request {@code {globalMailId}} → {@code {}}: nobody receives it any more (NOT_FOUND when unknown). */
  public static final String GLOBAL_RETRACT = "raven.mail.global.retract";
  /** Request {@code {target}} → {@code {target, matches}}: how many players the target reaches now. */
  public static final String GLOBAL_PREVIEW = "raven.mail.global.preview";
  /**
   * Request {@code {globalMailId, gateNode, uids}} → {@code {recorded}}: a gate node's players who were
   * online when an {@code online} send reached it ({@link Broadcast}); recorded (durably) before they
   * are told, then their copies are written in the background.
   */
  public static final String GLOBAL_RECIPIENTS = "raven.mail.global.recipients";
  /** Request {@code {}} → {@code {resumed}}: finishes {@code online} sends whose node died mid-way. */
  public static final String GLOBAL_RESUME_ONLINE = "raven.mail.global.resumeOnline";

  // --- scheduler ------------------------------------------------------------------------------

  /** Request {@code {job}} → {@code {job, ran, result}}: runs a job now on this cluster (operators, tests). */
  public static final String SCHEDULER_RUN = "raven.scheduler.run";

  private Addresses() {
  }

  /** The gate address of node {@code nodeId}. */
  public static String gate(String nodeId) {
    return GATE_PREFIX + nodeId;
  }

  /** The address node {@code nodeId} answers pings on. */
  public static String nodePing(String nodeId) {
    return NODE_PREFIX + nodeId + ".ping";
  }
}
