package io.ravenpost.mail;

import io.ravenpost.api.ClientRequest;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Fields;
import io.ravenpost.api.PageQuery;
import io.ravenpost.api.mail.MailPage;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.box.Mailbox;
import io.ravenpost.mail.box.UnreadCache;
import io.ravenpost.mail.claim.ClaimService;
import io.ravenpost.mail.feed.FeedReader;
import io.ravenpost.mail.feed.MailboxWrites;
import io.ravenpost.mail.send.MailSender;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The client's {@code mail.*} ops (PROTOCOL.md), forwarded by the gate on {@code raven.mail.client}.
 * The uid comes from the gate's header (the authenticated session), never from the body, so a
 * player only ever sees and changes their own mail: anyone else's id is NOT_FOUND.
 */
public final class MailClientOps {
  private final Mailbox mailbox;
  private final UnreadCache unread;
  private final ClaimService claims;
  private final MailSender sender;
  private final MailNotifier notifier;
  private final MailboxWrites writes;
  private final FeedReader feed;

  MailClientOps(Mailbox mailbox, UnreadCache unread, ClaimService claims, MailSender sender, MailNotifier notifier,
                MailboxWrites writes, FeedReader feed) {
    this.mailbox = mailbox;
    this.unread = unread;
    this.claims = claims;
    this.sender = sender;
    this.notifier = notifier;
    this.writes = writes;
    this.feed = feed;
  }

  /**
   * One op of session {@code req.sessionId()}. Its own changes are not pushed back to it: replies
   * keep PROTOCOL.md's shapes, and the client learns their {@code seq}s from the next push's gap
   * (mail.sync fills it).
   */
  Future<JsonObject> handle(ClientRequest req) {
    long uid = req.uid();
    JsonObject b = req.body();
    String session = req.sessionId();
    return switch (req.op()) {
      case MAIL_LIST -> list(uid, b);
      case MAIL_OPEN -> open(uid, mailId(b), session);
      case MAIL_CLAIM -> claims.claim(uid, mailId(b), session);
      case MAIL_CLAIM_ALL -> claims.claimAll(uid, session);
      case MAIL_DELETE -> writes.delete(uid, mailId(b), session).map(e -> new JsonObject());
      case MAIL_SEND -> sender.sendFromPlayer(uid, b);
      case MAIL_UNREAD -> unread.unread(uid).map(n -> new JsonObject().put("unread", n));
      case MAIL_SYNC -> feed.sync(uid, b);
      default -> Future.failedFuture(ErrorCode.UNKNOWN_OP.error("unknown op " + req.op().wire()));
    };
  }

  /** A page of summaries; the first page also clears the new-mail marker (the global-mail design's compare-delete). */
  private Future<JsonObject> list(long uid, JsonObject b) {
    PageQuery q = PageQuery.fromJson(b);
    if (q.cursor() != null) {
      return mailbox.page(uid, q.cursor(), q.limit(), false).map(MailPage::toJson);
    }
    return mailbox.maxId(uid).compose(newest -> mailbox.page(uid, null, q.limit(), false)
        .compose(page -> notifier.fetched(uid, newest).map(v -> page.toJson())));
  }

  private Future<JsonObject> open(long uid, long mailId, String session) {
    long now = System.currentTimeMillis();
    return mailbox.shown(uid, mailId).compose(m -> {
      if (m.expired(now)) {
        return Future.failedFuture(ErrorCode.MAIL_EXPIRED.error("mail " + mailId + " has expired"));
      }
      if (m.readAt() != null) {
        return Future.succeededFuture(new JsonObject().put("mail", m.full()));
      }
      return writes.markRead(uid, mailId, session).map(entry -> new JsonObject().put("mail", m.full().put("read", true)));
    });
  }

  static long mailId(JsonObject b) {
    return Fields.requireLong(b, "mailId");
  }
}
