package io.ravenpost.mail.claim;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.common.Db;
import io.ravenpost.common.Errors;
import io.ravenpost.mail.box.Attachment;
import io.ravenpost.mail.box.MailMetrics;
import io.ravenpost.mail.box.Mailbox;
import io.ravenpost.mail.claim.OutboxRelay.Grant;
import io.ravenpost.mail.claim.OutboxRelay.Granted;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Claiming attachments exactly once. One transaction holds the conditional update (only an
 * unclaimed, visible mail of this uid with attachments changes) and, if it changed the row, the
 * grant's outbox row. Retries, double clicks, two devices and claimAll racing claim can never
 * change the row twice, and a crash after commit leaves the outbox row for the relay.
 */
public final class ClaimService {
  private static final Logger LOG = LoggerFactory.getLogger(ClaimService.class);
  static final String REASON = "claim";
  /** Mails claimed per transaction: each page locks, claims and writes its outbox rows at once. */
  static final int CLAIM_PAGE = 500;
  /** The reply lists at most this many ids and merged attachments; every grant still goes out. */
  static final int SUMMARY_LIMIT = 1000;

  private final Db db;
  private final Mailbox mailbox;
  private final OutboxRelay relay;
  private final MailMetrics metrics;

  public ClaimService(Db db, Mailbox mailbox, OutboxRelay relay, MailMetrics metrics) {
    this.db = db;
    this.mailbox = mailbox;
    this.relay = relay;
    this.metrics = metrics;
  }

  /** {@code {attachments}} granted now, or NOT_FOUND / NO_ATTACHMENTS / ALREADY_CLAIMED / MAIL_EXPIRED. */
  public Future<JsonObject> claim(long uid, long mailId) {
    long start = System.nanoTime();
    return db.tx(db.forUid(uid), conn -> claimIn(conn, uid, mailId))
        .compose(grants -> grants.isEmpty() ? refusal(uid, mailId) : Future.succeededFuture(grants))
        .onSuccess(relay::publishNow)
        .map(grants -> new JsonObject().put("attachments", new JsonArray(grants.get(0).attachments())))
        .onComplete(ar -> {
          metrics.claim("claim", ar.succeeded() ? "ok" : Errors.codeOf(ar.cause()).name(), start);
          if (ar.succeeded()) {
            LOG.info("claim uid={} mailId={}", uid, mailId);
          }
        });
  }

  /**
   * {@code {claimed: [mailId], attachments, claimedCount, truncated}}: every claimable mail of the
   * uid, in pages of {@link #CLAIM_PAGE} (each page one transaction, so a huge mailbox never builds
   * one statement past MySQL's placeholder limit). The reply is a bounded summary; each grant is in
   * the outbox whatever the summary shows.
   */
  public Future<JsonObject> claimAll(long uid) {
    long start = System.nanoTime();
    return pages(uid, new ArrayList<>())
        .map(ClaimService::summary)
        .onComplete(ar -> {
          metrics.claim("claimAll", ar.succeeded() ? "ok" : Errors.codeOf(ar.cause()).name(), start);
          if (ar.succeeded()) {
            LOG.info("claimAll uid={} claimed={}", uid, ar.result().getLong("claimedCount"));
          }
        });
  }

  private Future<List<Grant>> pages(long uid, List<Grant> done) {
    return db.tx(db.forUid(uid), conn -> claimAllIn(conn, uid))
        .onSuccess(relay::publishNow)
        .compose(page -> {
          done.addAll(page);
          return page.size() < CLAIM_PAGE ? Future.succeededFuture(done) : pages(uid, done);
        });
  }

  private static JsonObject summary(List<Grant> grants) {
    JsonArray ids = new JsonArray();
    List<Attachment> all = new ArrayList<>();
    for (Grant g : grants) {
      if (ids.size() < SUMMARY_LIMIT) {
        ids.add(g.mailId());
      }
      all.addAll(Attachment.fromStored(g.attachments()));
    }
    List<Attachment> merged = Attachment.merge(all);
    boolean truncated = ids.size() < grants.size() || merged.size() > SUMMARY_LIMIT;
    return new JsonObject().put("claimed", ids)
        .put("attachments", Attachment.toJson(merged.subList(0, Math.min(merged.size(), SUMMARY_LIMIT))))
        .put("claimedCount", grants.size()).put("truncated", truncated);
  }

  private Future<List<Grant>> claimIn(SqlConnection conn, long uid, long mailId) {
    long now = System.currentTimeMillis();
    return conn.preparedQuery(ClaimSql.CLAIM).execute(Tuple.of(now, now, uid, mailId, now, now))
        .compose(r -> r.rowCount() == 0 ? Future.succeededFuture(List.<Grant>of())
            : conn.preparedQuery(ClaimSql.ATTACHMENTS).execute(Tuple.of(uid, mailId))
                .compose(rows -> relay.record(conn,
                    List.of(new Granted(uid, mailId, rows.iterator().next().getString(0))), REASON)));
  }

  private Future<List<Grant>> claimAllIn(SqlConnection conn, long uid) {
    long now = System.currentTimeMillis();
    return conn.preparedQuery(ClaimSql.CLAIMABLE_FOR_UPDATE).execute(Tuple.of(uid, now, now, CLAIM_PAGE)).compose(rows -> {
      List<Granted> granted = new ArrayList<>();
      for (Row r : rows) {
        granted.add(new Granted(uid, r.getLong("id"), r.getString("attachments")));
      }
      if (granted.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      List<Object> args = new ArrayList<>(List.of(now, now, uid));
      granted.forEach(g -> args.add(g.mailId()));
      return conn.preparedQuery(ClaimSql.claimMany(granted.size())).execute(Tuple.from(args))
          .compose(u -> u.rowCount() == granted.size() ? relay.record(conn, granted, REASON)
              : Future.failedFuture(new IllegalStateException("claimAll changed " + u.rowCount()
                  + " of " + granted.size() + " locked rows")));
    });
  }

  /** Why a claim changed nothing, read after its transaction ended. */
  private Future<List<Grant>> refusal(long uid, long mailId) {
    long now = System.currentTimeMillis();
    return mailbox.require(uid, mailId).compose(m -> {
      if (!m.hasAttachments()) {
        return Future.failedFuture(ErrorCode.NO_ATTACHMENTS.error("mail " + mailId + " has no attachments"));
      }
      if (m.claimedAt() != null) {
        return Future.failedFuture(ErrorCode.ALREADY_CLAIMED.error("mail " + mailId + " was already claimed"));
      }
      if (m.expired(now)) {
        return Future.failedFuture(ErrorCode.MAIL_EXPIRED.error("mail " + mailId + " has expired"));
      }
      return Future.failedFuture(ErrorCode.ALREADY_CLAIMED.error("mail " + mailId + " was claimed meanwhile"));
    });
  }
}
