package io.ravenpost.audit;

import io.ravenpost.api.AuditContext;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.common.Db;
import io.ravenpost.common.Hashing;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of operators' and services' writes. A write that runs a transaction records its
 * row with {@link #record} inside it, on the shard it writes to, so the write and its row commit
 * together or not at all; refusals and failures are recorded on their own ({@link #recordAlone}).
 */
public final class AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger("io.ravenpost.audit");
  public static final String OK = "ok";
  static final int DEFAULT_PAGE = 50;
  static final int MAX_PAGE = 200;
  private static final int MAX_TARGET = 512;

  private final Db db;

  public AuditLog(Db db) {
    this.db = db;
  }

  /** One audit row to write: who did what to which target, with what result. */
  public record Entry(AuditContext who, String action, String target, String result) {
  }

  /** One row inside the caller's transaction (or on any client of the shard written to). */
  public static Future<Void> record(SqlClient conn, AuditContext who, String action, String target, String result) {
    return recordAll(conn, List.of(new Entry(who, action, target, result)));
  }

  /**
   * Several rows in one statement inside the caller's transaction: a group commit of many sends
   * pays one round trip for their audit rows, not one each.
   */
  public static Future<Void> recordAll(SqlClient conn, List<Entry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    long now = System.currentTimeMillis();
    List<Object> args = new ArrayList<>(entries.size() * AuditSql.COLUMNS);
    for (Entry e : entries) {
      AuditContext who = e.who();
      String t = e.target().length() > MAX_TARGET ? e.target().substring(0, MAX_TARGET - 3) + "..." : e.target();
      LOG.info("audit actor={} action={} route=\"{}\" target=\"{}\" result={} requestId={}", who.actor(),
          e.action(), who.route(), t, e.result(), who.requestId());
      args.addAll(Arrays.asList(now, clip(who.actor(), 96), clip(e.action(), 64), clip(who.route(), 160), t,
          clip(who.requestId(), 64), clip(e.result(), 64), clip(who.source(), 64)));
    }
    return conn.preparedQuery(AuditSql.insert(entries.size())).execute(Tuple.from(args)).mapEmpty();
  }

  /**
   * A refused request (a failed sign-in, a lockout, a 401 or 403 on a write), on the primary shard.
   * The same refusal (actor, action, target, result) from the same source within one clock minute adds to one
   * row's {@code repeats} instead of writing another, so a flood of refusals cannot bury the trail.
   */
  public Future<Void> refusal(AuditContext who, String action, String target, String result) {
    long now = System.currentTimeMillis();
    String key = Hashing.sha256Hex(String.join("\n", who.actor(), action, target, who.source(), result,
        Long.toString(now / 60_000)));
    LOG.info("audit refusal actor={} action={} route=\"{}\" target=\"{}\" result={} source={} requestId={}",
        who.actor(), action, who.route(), target, result, who.source(), who.requestId());
    return db.retrying(() -> db.primary().preparedQuery(AuditSql.REFUSAL).execute(Tuple.from(Arrays.asList(now,
            clip(who.actor(), 96), clip(action, 64), clip(who.route(), 160), clip(target, MAX_TARGET),
            clip(who.requestId(), 64), clip(result, 64), clip(who.source(), 64), key))).<Void>mapEmpty())
        .onFailure(t -> LOG.error("audit refusal lost actor={} action={} result={} requestId={}: {}", who.actor(),
            action, result, who.requestId(), t.toString()));
  }

  /** A row of its own on the primary shard: a refusal, a failure, or a write without a transaction. */
  public Future<Void> recordAlone(AuditContext who, String action, String target, String result) {
    return db.retrying(() -> record(db.primary(), who, action, target, result))
        .onFailure(t -> LOG.error("audit row lost actor={} action={} target=\"{}\" result={} requestId={}: {}",
            who.actor(), action, target, result, who.requestId(), t.toString()));
  }

  /**
   * {@code {entries: [{at, actor, action, route, target, requestId, result, source, repeats}], nextCursor}}, newest
   * first, across every shard; {@code actor} filters when given.
   */
  public Future<JsonObject> page(String cursor, int limit, String actor) {
    long[] c = parseCursor(cursor);
    List<Future<List<JsonObject>>> parts = new ArrayList<>();
    for (int s = 0; s < db.all().size(); s++) {
      parts.add(shardPage(s, c, limit + 1, actor));
    }
    return Future.all(parts).map(cf -> {
      List<JsonObject> all = new ArrayList<>();
      for (int i = 0; i < parts.size(); i++) {
        all.addAll(cf.<List<JsonObject>>resultAt(i));
      }
      all.sort(Comparator.<JsonObject>comparingLong(e -> -e.getLong("at"))
          .thenComparingInt(e -> e.getInteger("shard")).thenComparingLong(e -> -e.getLong("id")));
      boolean more = all.size() > limit;
      List<JsonObject> shown = more ? all.subList(0, limit) : all;
      JsonObject last = shown.isEmpty() ? null : shown.get(shown.size() - 1);
      JsonObject out = new JsonObject().put("entries", new JsonArray(shown.stream().map(AuditLog::visible).toList()));
      return out.put("nextCursor", more ? last.getLong("at") + "-" + last.getInteger("shard") + "-" + last.getLong("id")
          : null);
    });
  }

  private Future<List<JsonObject>> shardPage(int shard, long[] c, int limit, String actor) {
    List<Object> args = new ArrayList<>();
    if (actor != null) {
      args.add(actor);
    }
    args.addAll(List.of(c[0], c[0], shard > c[1], shard == c[1], c[2], limit));
    return db.read(() -> db.shard(shard).preparedQuery(AuditSql.page(actor != null)).execute(Tuple.from(args)))
        .map(rows -> {
          List<JsonObject> out = new ArrayList<>();
          for (Row r : rows) {
            out.add(new JsonObject().put("at", r.getLong("at")).put("actor", r.getString("actor"))
                .put("action", r.getString(AuditSql.ACTION)).put("route", r.getString("route"))
                .put("target", r.getString("target")).put("requestId", r.getString("request_id"))
                .put("result", r.getString("result")).put("source", r.getString("source"))
                .put("repeats", r.getInteger("repeats")).put("shard", shard).put("id", r.getLong("id")));
          }
          return out;
        });
  }

  private static JsonObject visible(JsonObject e) {
    JsonObject v = e.copy();
    v.remove("shard");
    v.remove("id");
    return v;
  }

  /** {@code at-shard-id} of the last entry shown; none means from the newest. */
  private static long[] parseCursor(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return new long[] {Long.MAX_VALUE, -1, Long.MAX_VALUE};
    }
    String[] p = cursor.split("-");
    try {
      if (p.length == 3) {
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])};
      }
    } catch (NumberFormatException e) {
      // falls through to the refusal below
    }
    throw ErrorCode.BAD_REQUEST.error("cursor is not one this API returned");
  }

  private static String clip(String s, int max) {
    String v = s == null ? "" : s;
    return v.length() > max ? v.substring(0, max) : v;
  }
}
