package io.ravenpost.mail.feed;

import io.ravenpost.api.feed.ChangeType;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.feed.FeedEntry;
import io.ravenpost.common.Db;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.box.MailSql;
import io.ravenpost.mail.box.Mailbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Tuple;
import java.util.List;

/**
 * A player's own changes to one mail, read and delete, each in one transaction with its feed
 * entry; the player's other sessions are told, the one that asked ({@code cause}) is not.
 */
public final class MailboxWrites {
  private final Db db;
  private final Mailbox mailbox;
  private final Feed feed;
  private final MailNotifier notifier;

  public MailboxWrites(Db db, Mailbox mailbox, Feed feed, MailNotifier notifier) {
    this.db = db;
    this.mailbox = mailbox;
    this.feed = feed;
    this.notifier = notifier;
  }

  /** Marks the mail read; answers its entry, or null when it was read already (nothing changed). */
  public Future<FeedEntry> markRead(long uid, long mailId, String cause) {
    long now = System.currentTimeMillis();
    return db.tx(db.forUid(uid), conn -> conn.preparedQuery(MailSql.MARK_READ).execute(Tuple.of(now, uid, mailId))
            .compose(r -> r.rowCount() == 0 ? Future.succeededFuture(List.<FeedEntry>of())
                : feed.append(conn, List.of(new Change(uid, mailId, ChangeType.READ)))))
        .map(entries -> told(entries, cause));
  }

  /** Soft-deletes a visible mail without unclaimed attachments (its entry); otherwise says why not. */
  public Future<FeedEntry> delete(long uid, long mailId, String cause) {
    long now = System.currentTimeMillis();
    return db.tx(db.forUid(uid), conn -> conn.preparedQuery(MailSql.DELETE).execute(Tuple.of(now, uid, mailId, now, now))
            .compose(r -> r.rowCount() == 0 ? Future.succeededFuture(List.<FeedEntry>of())
                : feed.append(conn, List.of(new Change(uid, mailId, ChangeType.DELETED)))))
        .compose(entries -> entries.isEmpty() ? refusal(uid, mailId, now) : Future.succeededFuture(told(entries, cause)));
  }

  private FeedEntry told(List<FeedEntry> entries, String cause) {
    notifier.changed(entries, cause);
    return entries.isEmpty() ? null : entries.get(0);
  }

  private Future<FeedEntry> refusal(long uid, long mailId, long now) {
    return mailbox.require(uid, mailId).compose(m -> {
      if (m.expired(now)) {
        return Future.failedFuture(ErrorCode.MAIL_EXPIRED.error("mail " + mailId + " has expired"));
      }
      if (m.unclaimed()) {
        return Future.failedFuture(ErrorCode.HAS_UNCLAIMED.error("mail " + mailId + " has unclaimed attachments"));
      }
      return Future.failedFuture(ErrorCode.NOT_FOUND.error("no mail " + mailId));
    });
  }
}
