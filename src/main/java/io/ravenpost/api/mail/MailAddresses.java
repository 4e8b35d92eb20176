package io.ravenpost.api.mail;

import io.ravenpost.api.recall.RecallMail;
import io.ravenpost.api.recall.RecallSend;
import io.ravenpost.api.recall.Recalled;
import io.ravenpost.api.ClientRequest;
import io.ravenpost.api.Codec;
import io.ravenpost.api.Endpoint;
import io.ravenpost.api.PageQuery;
import io.ravenpost.api.Topic;
import io.ravenpost.api.UidQuery;
import io.ravenpost.api.UnreadCount;
import io.vertx.core.json.JsonObject;

/**
 * The mail role's addresses, answered by any node with the mail role. Other services inside the
 * cluster may send on {@link #SEND} (the body of {@code POST /internal/mail}) and consume
 * {@link #REWARD_GRANT}.
 */
public final class MailAddresses {
  /**
   * Client mail ops forwarded by the gate; the reply body is the client's reply body. The uid is the
   * session's, never the body's.
   */
  public static final Endpoint<ClientRequest, JsonObject> CLIENT =
      Endpoint.of("raven.mail.client", ClientRequest.CODEC, Codec.RAW);
  /** The mail side of a login, once the session owns its entry. */
  public static final Endpoint<MailLogin, MailLoginReply> LOGIN =
      Endpoint.of("raven.mail.login", MailLogin.CODEC, MailLoginReply.CODEC);
  /** The mail side of a heartbeat. */
  public static final Endpoint<UidQuery, HeartbeatReply> HEARTBEAT =
      Endpoint.of("raven.mail.heartbeat", UidQuery.CODEC, HeartbeatReply.CODEC);
  /** The unread count, read from MySQL. */
  public static final Endpoint<UidQuery, UnreadCount> UNREAD =
      Endpoint.of("raven.mail.unread", UidQuery.CODEC, UnreadCount.CODEC);
  /**
   * A producer's send, {@code idempotencyKey} required. The same key and body answer the first
   * result and send nothing new; another body fails IDEMPOTENCY_MISMATCH; while the first runs, IN_FLIGHT.
   */
  public static final Endpoint<ProducerSend, SendResult> SEND =
      Endpoint.of("raven.mail.send", ProducerSend.CODEC, SendResult.CODEC);
  /** An operator's send ({@code POST /admin/mail}), {@code idempotencyKey} optional; as {@link #SEND}. */
  public static final Endpoint<ProducerSend, SendResult> ADMIN_SEND =
      Endpoint.of("raven.mail.admin.send", ProducerSend.CODEC, SendResult.CODEC);
  /** A player's mailbox for operators; marks nothing read. */
  public static final Endpoint<MailboxQuery, MailPage> ADMIN_MAILBOX =
      Endpoint.of("raven.mail.admin.mailbox", MailboxQuery.CODEC, MailPage.CODEC);
  /** An operator takes one mail back from a mailbox. */
  public static final Endpoint<RecallMail, Void> RECALL_MAIL =
      Endpoint.of("raven.mail.admin.recall", RecallMail.CODEC, Codec.NONE);
  /** An operator takes back what is still unclaimed of one personal send. */
  public static final Endpoint<RecallSend, Recalled> RECALL_SEND =
      Endpoint.of("raven.mail.admin.recallSend", RecallSend.CODEC, Recalled.CODEC);
  /**
   * One personal send for operators ({@code GET /admin/sends/{sendId}}), asked with the same
   * {@code {sendId}} as its recall: {@code {sendId, createdAt, total, claimed, truncated, mails:
   * [{uid, mailId, title, createdAt, read, hasAttachments, claimed, recalled, state}]}}.
   */
  public static final Endpoint<RecallSend, JsonObject> SEND_VIEW =
      Endpoint.of("raven.mail.admin.send.view", RecallSend.CODEC, Codec.RAW);
  /** Published whenever a uid's unread count may have changed. */
  public static final Topic<UnreadChanged> UNREAD_CHANGED = Topic.of("raven.mail.unread.changed", UnreadChanged.CODEC);
  /** Granted attachments, sent by the outbox relay until a consumer answers (any reply acknowledges). */
  public static final Endpoint<GrantMessage, Void> REWARD_GRANT =
      Endpoint.of("raven.reward.grant", GrantMessage.CODEC, Codec.NONE);
  /**
   * Grants are waiting in the outbox for webhook or pull delivery (a claim committed, or an operator
   * resent one): webhook senders and held pulls on every node look at once instead of at their next poll.
   */
  public static final Topic<Void> GRANTS_READY = Topic.of("raven.grants.ready", Codec.NONE);
  /** A page of global mail with delivery counts, newest first. */
  public static final Endpoint<PageQuery, MailPage> GLOBAL_LIST =
      Endpoint.of("raven.mail.global.list", PageQuery.CODEC, MailPage.CODEC);
  public static final Endpoint<GlobalRetract, Void> GLOBAL_RETRACT =
      Endpoint.of("raven.mail.global.retract", GlobalRetract.CODEC, Codec.NONE);
  public static final Endpoint<GlobalPreview, PreviewResult> GLOBAL_PREVIEW =
      Endpoint.of("raven.mail.global.preview", GlobalPreview.CODEC, PreviewResult.CODEC);
  /**
   * A global mail's copies delivered, opened and claimed over time, asked with the same
   * {@code {globalMailId}} as its retraction: {@code {globalMailId, bucketMs, t: [], delivered: [],
   * opened: [], claimed: []}}.
   */
  public static final Endpoint<GlobalRetract, JsonObject> GLOBAL_TIMELINE =
      Endpoint.of("raven.mail.global.timeline", GlobalRetract.CODEC, Codec.RAW);
  /** A gate node's players who were online when an {@code online} send reached it. */
  public static final Endpoint<GlobalRecipients, Recorded> GLOBAL_RECIPIENTS =
      Endpoint.of("raven.mail.global.recipients", GlobalRecipients.CODEC, Recorded.CODEC);
  /** Finishes {@code online} sends whose node died mid-way. */
  public static final Endpoint<Void, Resumed> GLOBAL_RESUME_ONLINE =
      Endpoint.of("raven.mail.global.resumeOnline", Codec.NONE, Resumed.CODEC);

  private MailAddresses() {
  }
}
