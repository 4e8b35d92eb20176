package io.ravenpost.mail.recall;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.common.Db;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One personal send as operators see it ({@code GET /admin/sends/{sendId}}): its counts over every
 * shard and its first {@link #SHOWN} mails by uid, each with what became of it, so an operator can
 * tell what a recall would take back and what it did take back.
 */
final class SendView {
  static final int SHOWN = 500;

  private final Db db;

  SendView(Db db) {
    this.db = db;
  }

  /** NOT_FOUND when no mail carries {@code sendId}. */
  Future<JsonObject> view(long sendId) {
    List<Future<List<JsonObject>>> parts = db.all().stream().map(pool -> mails(pool, sendId)).toList();
    Future<long[]> counts = counts(sendId);
    return Future.all(Future.all(parts), counts).compose(v -> {
      if (counts.result()[0] == 0) {
        return Future.failedFuture(ErrorCode.NOT_FOUND.error("no mail of send " + sendId));
      }
      List<JsonObject> mails = parts.stream().flatMap(p -> p.result().stream())
          .sorted(Comparator.comparingLong((JsonObject m) -> Long.parseLong(m.getString("uid")))
              .thenComparingLong(m -> m.getLong("mailId")))
          .limit(SHOWN).toList();
      return Future.succeededFuture(new JsonObject().put("sendId", sendId)
          .put("createdAt", mails.stream().mapToLong(m -> m.getLong("createdAt")).min().orElse(0))
          .put("total", counts.result()[0]).put("claimed", counts.result()[1])
          .put("mails", new JsonArray(new ArrayList<>(mails))).put("truncated", counts.result()[0] > mails.size()));
    });
  }

  /** {mails of the send, of which claimed} over every shard. */
  Future<long[]> counts(long sendId) {
    List<Future<long[]>> parts = new ArrayList<>();
    for (Pool pool : db.all()) {
      parts.add(db.read(() -> pool.preparedQuery(RecallSql.SEND_COUNTS).execute(Tuple.of(sendId)))
          .map(rows -> {
            Row r = rows.iterator().next();
            return new long[] {r.getLong(0), r.getLong(1)};
          }));
    }
    return Future.all(parts).map(cf -> {
      long[] sum = new long[2];
      for (int i = 0; i < parts.size(); i++) {
        long[] p = cf.resultAt(i);
        sum[0] += p[0];
        sum[1] += p[1];
      }
      return sum;
    });
  }

  private Future<List<JsonObject>> mails(Pool pool, long sendId) {
    return db.read(() -> pool.preparedQuery(RecallSql.SEND_MAILS).execute(Tuple.of(sendId, SHOWN))).map(rows -> {
      List<JsonObject> out = new ArrayList<>();
      rows.forEach(r -> out.add(mail(r)));
      return out;
    });
  }

  private static JsonObject mail(Row r) {
    boolean claimed = r.getLong("claimed_at") != null;
    boolean recalled = r.getInteger("recalled") == 1;
    String state = claimed ? "claimed" : recalled ? "recalled" : r.getLong("deleted_at") != null ? "removed" : "unclaimed";
    return new JsonObject().put("uid", Long.toString(r.getLong("uid"))).put("mailId", r.getLong("id")).put("title", r.getString("title"))
        .put("createdAt", r.getLong("created_at")).put("read", r.getLong("read_at") != null)
        .put("hasAttachments", r.getInteger("has_attachments") == 1).put("claimed", claimed).put("recalled", recalled)
        .put("state", state);
  }
}
