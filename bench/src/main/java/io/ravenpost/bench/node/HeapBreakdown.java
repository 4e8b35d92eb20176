package io.ravenpost.bench.node;

import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Table;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where the heap of a session goes: the class histogram with N sessions minus the one with none,
 * divided by N, largest first. Says which objects to slim when the per-session goal is missed.
 */
public final class HeapBreakdown {
  private static final int TOP = 12;

  private HeapBreakdown() {
  }

  /** One row per class: bytes and instances per session. */
  public record Row(String className, double bytesPerSession, double instancesPerSession) {
  }

  public static List<Row> perSession(Map<String, long[]> before, Map<String, long[]> after, int sessions) {
    List<Row> rows = new ArrayList<>();
    if (sessions == 0 || after.isEmpty()) {
      return rows;
    }
    after.forEach((cls, a) -> {
      long[] b = before.getOrDefault(cls, new long[2]);
      double bytes = (double) (a[1] - b[1]) / sessions;
      if (bytes > 0) {
        rows.add(new Row(cls, bytes, (double) (a[0] - b[0]) / sessions));
      }
    });
    rows.sort((x, y) -> Double.compare(y.bytesPerSession(), x.bytesPerSession()));
    return rows.subList(0, Math.min(TOP, rows.size()));
  }

  /**
   * Live bytes per session over every class: {@code GC.class_histogram} counts only objects a full
   * GC left, so this is steadier than the heap's used size, which also holds G1's partly filled
   * regions. Null when there is no histogram.
   */
  public static Double liveBytesPerSession(Map<String, long[]> before, Map<String, long[]> after, int sessions) {
    if (sessions == 0 || after.isEmpty() || before.isEmpty()) {
      return null;
    }
    long delta = 0;
    for (Map.Entry<String, long[]> e : after.entrySet()) {
      delta += e.getValue()[1] - before.getOrDefault(e.getKey(), new long[2])[1];
    }
    for (Map.Entry<String, long[]> e : before.entrySet()) {
      if (!after.containsKey(e.getKey())) {
        delta -= e.getValue()[1];
      }
    }
    return (double) delta / sessions;
  }

  /** The rows, then what the other classes add up to, so the column sums to {@code totalPerSession}. */
  public static Table table(List<Row> rows, Double totalPerSession) {
    Table t = new Table("class (heap growth per session, largest first)", "bytes", "instances");
    rows.forEach(r -> t.row(r.className(), Math.round(r.bytesPerSession()), r.instancesPerSession()));
    if (totalPerSession != null) {
      double top = rows.stream().mapToDouble(Row::bytesPerSession).sum();
      t.row("(all other classes)", Math.round(totalPerSession - top), "");
    }
    return t;
  }

  public static JsonArray toJson(List<Row> rows) {
    JsonArray a = new JsonArray();
    rows.forEach(r -> a.add(new JsonObject().put("class", r.className())
        .put("bytesPerSession", Latency.round(r.bytesPerSession()))
        .put("instancesPerSession", Latency.round(r.instancesPerSession()))));
    return a;
  }
}
