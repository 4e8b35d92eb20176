package io.ravenpost.mail.feed;

import io.ravenpost.api.ChangeType;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Fields;
import io.ravenpost.api.mail.FeedEntry;
import io.ravenpost.common.Db;
import io.ravenpost.mail.box.Mail;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * Reads the feed for clients: where a player's feed stands (the login reply's {@code seq} and
 * {@code epoch}) and {@code mail.sync}, one statement that answers exactly the changes after a
 * client's {@code seq}, or tells it to reload when that gap can no longer be answered.
 */
public final class FeedReader {
  /** Changes one sync answers at most (PROTOCOL.md). */
  public static final int PAGE = 200;

  /** Where a player's feed stands: its last {@code seq} (0 before any change) and the epoch. */
  public record Position(long seq, String epoch) {
  }

  private final Db db;
  private final Epochs epochs;
  private final FeedMetrics metrics;

  public FeedReader(Db db, Epochs epochs, FeedMetrics metrics) {
    this.db = db;
    this.epochs = epochs;
    this.metrics = metrics;
  }

  public Future<Position> position(long uid) {
    Future<String> epoch = epochs.of(uid);
    Future<Long> head = db.read(() -> db.forUid(uid).preparedQuery(FeedSql.HEAD).execute(Tuple.of(uid)))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0));
    return Future.all(epoch, head).map(v -> new Position(head.result(), epoch.result()));
  }

  /** {@code mail.sync {since, epoch}}. */
  public Future<JsonObject> sync(long uid, JsonObject body) {
    long since = Fields.requireLong(body, "since");
    String asked = Fields.requireString(body, "epoch", 64);
    if (since < 0) {
      return Future.failedFuture(ErrorCode.BAD_REQUEST.error("since must be 0 or more"));
    }
    Future<String> epoch = epochs.of(uid);
    Future<RowSet<Row>> rows = db.read(() -> db.forUid(uid).preparedQuery(FeedSql.SYNC)
        .execute(Tuple.of(since, uid, PAGE + 1)));
    return Future.all(epoch, rows).map(v -> answer(since, asked, epoch.result(), rows.result()));
  }

  private JsonObject answer(long since, String asked, String epoch, RowSet<Row> rows) {
    long head = rows.size() == 0 ? 0 : rows.iterator().next().getLong("head");
    if (!epoch.equals(asked)) {
      return resync("epoch", head, epoch);
    }
    if (since > head) {
      // The client saw changes this feed does not have: a restore lost them.
      return resync("ahead", head, epoch);
    }
    JsonArray changes = new JsonArray();
    long last = since;
    for (Row r : rows) {
      Long seq = r.getLong("seq");
      if (seq == null || changes.size() == PAGE) {
        break;
      }
      if (seq != last + 1) {
        // Entries after `since` were trimmed: the gap cannot be told any more.
        return resync("trimmed", head, epoch);
      }
      changes.add(change(r, seq));
      last = seq;
    }
    if (last < head && changes.isEmpty()) {
      return resync("trimmed", head, epoch);
    }
    boolean more = last < head;
    metrics.synced(changes.isEmpty() ? "empty" : "changes", changes.size());
    return new JsonObject().put("changes", changes).put("seq", last).put("epoch", epoch).put("more", more);
  }

  /**
   * One entry; a new mail carries its summary as it is now. A new mail purged since (long after
   * it was deleted) is told as deleted: the client ends where the mailbox is.
   */
  private static JsonObject change(Row r, long seq) {
    ChangeType type = ChangeType.of(r.getString("type"));
    long mailId = r.getLong("mail_id");
    if (type != ChangeType.NEW) {
      return new FeedEntry(0, seq, type, mailId).toJson(null);
    }
    if (r.getLong("id") == null) {
      return new FeedEntry(0, seq, ChangeType.DELETED, mailId).toJson(null);
    }
    return new FeedEntry(0, seq, type, mailId).toJson(Mail.summaryOf(r).summary());
  }

  private JsonObject resync(String why, long head, String epoch) {
    metrics.synced("resync-" + why, 0);
    return new JsonObject().put("resync", true).put("seq", head).put("epoch", epoch);
  }
}
