package io.ravenpost.mail.global.view;

import io.ravenpost.common.Db;
import io.ravenpost.mail.global.store.GlobalSql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code GET /admin/global-mail/{id}/timeline}: a global mail's copies delivered, opened and claimed
 * per minute, over every shard, from what MySQL already keeps (no counter of its own to drift).
 * Minutes between the first and the last are all there, zeros included, so a chart's line does not
 * bridge a quiet hour; past {@link #MAX_BUCKETS} minutes the buckets are hours.
 */
public final class GlobalTimeline {
  static final int MAX_BUCKETS = 7 * 24 * 60;
  private static final long MINUTE = 60_000;
  private static final List<String> SERIES = List.of("delivered", "opened", "claimed");

  private final Db db;

  public GlobalTimeline(Db db) {
    this.db = db;
  }

  public Future<JsonObject> timeline(long globalMailId) {
    List<Future<Map<String, Map<Long, Long>>>> parts = db.all().stream()
        .map(pool -> db.read(() -> pool.preparedQuery(GlobalSql.TIMELINE)
            .execute(Tuple.of(globalMailId, globalMailId, globalMailId))).map(rows -> {
              Map<String, Map<Long, Long>> m = new TreeMap<>();
              rows.forEach(r -> m.computeIfAbsent(r.getString(0), k -> new TreeMap<>())
                  .merge(r.getLong(1), r.getLong(2), Long::sum));
              return m;
            }))
        .toList();
    return Future.all(parts).map(cf -> {
      Map<String, Map<Long, Long>> all = new TreeMap<>();
      parts.forEach(p -> p.result().forEach((what, byMinute) -> byMinute.forEach((minute, n) ->
          all.computeIfAbsent(what, k -> new TreeMap<>()).merge(minute, n, Long::sum))));
      return series(globalMailId, all);
    });
  }

  private static JsonObject series(long globalMailId, Map<String, Map<Long, Long>> all) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Map<Long, Long> byMinute : all.values()) {
      for (long minute : byMinute.keySet()) {
        first = Math.min(first, minute);
        last = Math.max(last, minute);
      }
    }
    long per = first != Long.MAX_VALUE && last - first >= MAX_BUCKETS ? 60 : 1;
    JsonObject out = new JsonObject().put("globalMailId", globalMailId).put("bucketMs", per * MINUTE);
    JsonArray t = new JsonArray();
    if (first != Long.MAX_VALUE) {
      for (long b = first / per; b <= last / per; b++) {
        t.add(b * per * MINUTE);
      }
    }
    out.put("t", t);
    for (String what : SERIES) {
      long[] counts = new long[t.size()];
      long base = first == Long.MAX_VALUE ? 0 : first / per;
      all.getOrDefault(what, Map.of()).forEach((minute, n) -> counts[(int) (minute / per - base)] += n);
      JsonArray a = new JsonArray();
      for (long n : counts) {
        a.add(n);
      }
      out.put(what, a);
    }
    return out;
  }
}
