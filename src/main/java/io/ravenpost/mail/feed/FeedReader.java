package io.ravenpost.mail.feed;

import io.ravenpost.api.feed.ChangeType;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Fields;
import io.ravenpost.api.feed.FeedEntry;
import io.ravenpost.common.Db;
import io.ravenpost.mail.box.Localize;
import io.ravenpost.mail.box.Mail;
import io.ravenpost.mail.box.ShardBatcher;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
  /** Login storms read many heads at once: one statement per shard every few milliseconds. */
  private final ShardBatcher<Long, Long> heads;
  private final Epochs epochs;
  private final FeedMetrics metrics;
  private final Localize localize;

  /** @param localize shows the new mails' summaries in the reader's language */
  public FeedReader(Vertx vertx, Db db, Epochs epochs, FeedMetrics metrics, Localize localize) {
    this.db = db;
    this.heads = new ShardBatcher<>(vertx, db, this::heads);
    this.epochs = epochs;
    this.metrics = metrics;
    this.localize = localize;
  }

  public Future<Position> position(long uid) {
    Future<String> epoch = epochs.of(uid);
    Future<Long> head = heads.add(uid, uid);
    return Future.all(epoch, head).map(v -> new Position(head.result(), epoch.result()));
  }

  /** The heads of {@code uids} (0 for a player with no change yet), in their order. */
  private Future<List<Long>> heads(Pool pool, List<Long> uids) {
    int size = ShardBatcher.padded(uids.size());
    List<Object> args = new ArrayList<>(uids);
    while (args.size() < size) {
      args.add(uids.get(uids.size() - 1));
    }
    String sql = FeedSql.heads(size);
    return db.read(() -> pool.preparedQuery(sql).execute(Tuple.from(args))).map(rows -> {
      Map<Long, Long> at = new HashMap<>();
      rows.forEach(r -> at.put(r.getLong(0), r.getLong(1)));
      return uids.stream().map(u -> at.getOrDefault(u, 0L)).toList();
    });
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
    return Future.all(epoch, rows).compose(v -> {
      List<Mail> texted = new ArrayList<>();
      JsonObject out = answer(since, asked, epoch.result(), rows.result(), texted);
      return texted.isEmpty() ? Future.succeededFuture(out)
          : localize.apply(uid, texted).map(shown -> inLanguage(out, shown));
    });
  }

  /** Replaces the summaries of {@code shown} in the answer's changes by their chosen-language form. */
  private static JsonObject inLanguage(JsonObject out, List<Mail> shown) {
    Map<Long, JsonObject> byId = new HashMap<>();
    shown.forEach(m -> byId.put(m.id(), m.summary()));
    JsonArray changes = out.getJsonArray("changes");
    for (Object o : changes == null ? new JsonArray() : changes) {
      JsonObject change = (JsonObject) o;
      JsonObject summary = byId.get(change.getLong("mailId"));
      if (summary != null && change.getValue("mail") != null) {
        change.put("mail", summary);
      }
    }
    return out;
  }

  private JsonObject answer(long since, String asked, String epoch, RowSet<Row> rows, List<Mail> texted) {
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
      changes.add(change(r, seq, texted));
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
  private static JsonObject change(Row r, long seq, List<Mail> texted) {
    ChangeType type = ChangeType.of(r.getString("type"));
    long mailId = r.getLong("mail_id");
    if (type != ChangeType.NEW) {
      return new FeedEntry(0, seq, type, mailId).toJson(null);
    }
    if (r.getLong("id") == null) {
      return new FeedEntry(0, seq, ChangeType.DELETED, mailId).toJson(null);
    }
    Mail m = Mail.summaryOf(r);
    if (m.textId() != null) {
      texted.add(m);
    }
    return new FeedEntry(0, seq, type, mailId).toJson(m.summary());
  }

  private JsonObject resync(String why, long head, String epoch) {
    metrics.synced("resync-" + why, 0);
    return new JsonObject().put("resync", true).put("seq", head).put("epoch", epoch);
  }
}
