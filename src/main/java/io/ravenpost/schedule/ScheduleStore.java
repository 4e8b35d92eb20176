package io.ravenpost.schedule;

import io.ravenpost.api.AuditContext;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.common.Db;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Schedules as operators create, list, inspect and delete them, on the primary shard. Creating and
 * deleting write their audit rows in their own transactions.
 */
final class ScheduleStore {
  /** The runs {@code GET /admin/schedules/{id}} lists, newest first. */
  static final int RUNS_SHOWN = 50;

  private final Db db;

  ScheduleStore(Db db) {
    this.db = db;
  }

  /** Stores a checked schedule; answers its id. */
  Future<Long> create(NewSchedule s, AuditContext who, long now) {
    CronRule rule = s.rule();
    Tuple row = Tuple.from(Arrays.asList(s.name(), rule.cron(), rule.timezone(), rule.startsAt(), rule.endsAt(),
        s.mail().encode(), who.actor(), now, s.nextRunAt(), s.nextRunAt()));
    return db.tx(db.primary(), conn -> conn.preparedQuery(ScheduleSql.INSERT).execute(row)
        .map(r -> (long) r.property(MySQLClient.LAST_INSERTED_ID))
        .compose(id -> AuditLog.record(conn, who, AuditContext.SCHEDULE_CREATE, "schedule " + id + " " + s.name()
            + " (" + rule.cron() + " " + rule.timezone() + ")", AuditLog.OK).map(id)));
  }

  /** {@code {schedules, nextCursor}}: schedules not deleted, newest first. */
  Future<JsonObject> page(Long cursor, int limit) {
    return db.read(() -> db.primary().preparedQuery(ScheduleSql.PAGE)
        .execute(Tuple.of(cursor == null ? Long.MAX_VALUE : cursor, limit + 1))).map(rows -> {
          List<Schedule> all = new ArrayList<>();
          rows.forEach(r -> all.add(Schedule.fromRow(r)));
          boolean more = all.size() > limit;
          List<Schedule> shown = more ? all.subList(0, limit) : all;
          return new JsonObject().put("schedules", new JsonArray(shown.stream().map(Schedule::toJson).toList()))
              .put("nextCursor", more ? Long.toString(shown.get(shown.size() - 1).id()) : null);
        });
  }

  /** One schedule (deleted ones too) with its latest runs; NOT_FOUND when there is none. */
  Future<JsonObject> one(long id) {
    return db.read(() -> db.primary().preparedQuery(ScheduleSql.ONE).execute(Tuple.of(id))).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(ErrorCode.NOT_FOUND.error("no schedule " + id));
      }
      Schedule s = Schedule.fromRow(rows.iterator().next());
      return db.read(() -> db.primary().preparedQuery(ScheduleSql.RUNS).execute(Tuple.of(id, RUNS_SHOWN)))
          .map(runs -> s.toJson().put("runs", runs(runs)));
    });
  }

  private static JsonArray runs(RowSet<Row> rows) {
    JsonArray out = new JsonArray();
    for (Row r : rows) {
      String result = r.getString("result");
      out.add(new JsonObject().put("runAt", r.getLong("run_at")).put("status", r.getString("status"))
          .put("result", result == null ? null : new JsonObject(result)).put("error", r.getString("error"))
          .put("node", r.getString("node")).put("finishedAt", r.getLong("finished_at")));
    }
    return out;
  }

  /**
   * Stops future runs (a run already claimed still finishes, once). Deleting a deleted schedule is
   * not an error; an unknown id is NOT_FOUND.
   */
  Future<Void> delete(long id, AuditContext who, long now) {
    return db.tx(db.primary(), conn -> conn.preparedQuery(ScheduleSql.DELETE).execute(Tuple.of(now, id))
        .compose(r -> r.rowCount() == 1 ? Future.succeededFuture("") : deletedBefore(conn, id))
        .compose(note -> AuditLog.record(conn, who, AuditContext.SCHEDULE_DELETE, "schedule " + id + note,
            AuditLog.OK)));
  }

  private static Future<String> deletedBefore(SqlConnection conn, long id) {
    return conn.preparedQuery(ScheduleSql.EXISTS).execute(Tuple.of(id)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(ErrorCode.NOT_FOUND.error("no schedule " + id))
        : Future.succeededFuture(" (deleted before)"));
  }
}
