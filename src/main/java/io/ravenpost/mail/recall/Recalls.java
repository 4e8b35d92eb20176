package io.ravenpost.mail.recall;

import io.ravenpost.api.AuditContext;
import io.ravenpost.api.feed.ChangeType;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.feed.FeedEntry;
import io.ravenpost.api.recall.Recalled;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.common.Db;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.feed.Change;
import io.ravenpost.mail.feed.Feed;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Operators take mail back. A recall and a claim of the same mail lock its row, so one of them
 * wins: a claimed mail is never recalled (ALREADY_CLAIMED) and a recalled one can no longer be
 * claimed (NOT_FOUND). Each recall is a feed entry ({@code recalled}) committed with it, pushed to
 * the player's session as {@code mail.changed}, and audited.
 */
public final class Recalls {
  private static final Logger LOG = LoggerFactory.getLogger(Recalls.class);
  private static final int BATCH = 500;

  private final Db db;
  private final Feed feed;
  private final MailNotifier notifier;
  private final AuditLog audit;
  private final SendView view;

  public Recalls(Db db, Feed feed, MailNotifier notifier) {
    this.db = db;
    this.feed = feed;
    this.notifier = notifier;
    this.audit = new AuditLog(db);
    this.view = new SendView(db);
  }

  /** One mail; recalling a mail already gone (deleted, expired, recalled) changes nothing and succeeds. */
  public Future<Void> recallMail(long uid, long mailId, AuditContext who) {
    long now = System.currentTimeMillis();
    return db.tx(db.forUid(uid), conn -> conn.preparedQuery(RecallSql.LOCK_ONE).execute(Tuple.of(uid, mailId))
            .compose(rows -> {
              if (rows.size() == 0) {
                return Future.failedFuture(ErrorCode.NOT_FOUND.error("no mail " + mailId + " in mailbox " + uid));
              }
              Row r = rows.iterator().next();
              if (r.getLong("claimed_at") != null) {
                return Future.failedFuture(ErrorCode.ALREADY_CLAIMED.error("mail " + mailId + " was claimed"));
              }
              if (r.getLong("deleted_at") != null) {
                return Future.succeededFuture(List.<FeedEntry>of());
              }
              return conn.preparedQuery(RecallSql.RECALL_ONE).execute(Tuple.of(now, uid, mailId))
                  .compose(u -> feed.append(conn, List.of(new Change(uid, mailId, ChangeType.RECALLED))))
                  .compose(entries -> audited(conn, who, "user " + uid + " mail " + mailId).map(v -> entries));
            }))
        .onSuccess(entries -> {
          LOG.info("recalled uid={} mailId={} changed={}", uid, mailId, !entries.isEmpty());
          notifier.changed(entries, null);
        })
        .mapEmpty();
  }

  /** Every mail of the send still unclaimed, on every shard; NOT_FOUND when no mail has that send id. */
  public Future<Recalled> recallSend(long sendId, AuditContext who) {
    return db.eachShard(pool -> recallShard(pool, sendId)).compose(recalled -> view.counts(sendId).compose(c -> {
      if (c[0] == 0) {
        return Future.failedFuture(ErrorCode.NOT_FOUND.error("no mail of send " + sendId));
      }
      Recalled out = new Recalled(recalled, c[1]);
      LOG.info("recalled sendId={} recalled={} alreadyClaimed={}", sendId, recalled, c[1]);
      return who == null ? Future.succeededFuture(out) : audit.recordAlone(who, AuditContext.RECALL,
          "send " + sendId + ": recalled " + recalled + ", already claimed " + c[1], AuditLog.OK).map(v -> out);
    }));
  }

  /** One send's counts and mails, each with its state (claimed, recalled, removed, unclaimed); NOT_FOUND when none. */
  public Future<JsonObject> send(long sendId) {
    return view.view(sendId);
  }

  private Future<Long> recallShard(Pool pool, long sendId) {
    long now = System.currentTimeMillis();
    return db.tx(pool, conn -> conn.preparedQuery(RecallSql.SEND_BATCH).execute(Tuple.of(sendId, BATCH)).compose(rows -> {
      List<Object> args = new ArrayList<>();
      args.add(now);
      List<Change> changes = new ArrayList<>();
      for (Row r : rows) {
        args.add(r.getLong("uid"));
        args.add(r.getLong("id"));
        changes.add(new Change(r.getLong("uid"), r.getLong("id"), ChangeType.RECALLED));
      }
      return changes.isEmpty() ? Future.succeededFuture(List.<FeedEntry>of())
          : conn.preparedQuery(RecallSql.recall(changes.size())).execute(Tuple.from(args))
              .compose(u -> feed.append(conn, changes));
    })).compose(entries -> {
      notifier.changed(entries, null);
      return entries.size() < BATCH ? Future.succeededFuture((long) entries.size())
          : recallShard(pool, sendId).map(more -> more + entries.size());
    });
  }

  private static Future<Void> audited(SqlConnection conn, AuditContext who, String target) {
    return who == null ? Future.succeededFuture() : AuditLog.record(conn, who, AuditContext.RECALL, target, AuditLog.OK);
  }
}
