package io.ravenpost.multihost;

import io.ravenpost.multihost.Checker.Violation;
import io.ravenpost.multihost.History.Event;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The run's table (fault, time to recover, violations) on stdout and everything as JSON under target/nemesis/. */
final class NemesisReport {
  private NemesisReport() {
  }

  /** Prints the table and writes the JSON; returns the JSON file. */
  static Path write(String runId, long startedAt, Bed bed, History history, List<Nemesis.Outcome> faults,
                    List<Violation> violations, JsonObject extra) {
    StringBuilder t = new StringBuilder();
    t.append("\nNemesis run ").append(runId).append(" (").append(Instant.ofEpochMilli(startedAt)).append(", ")
        .append((System.currentTimeMillis() - startedAt) / 1000).append(" s)\n");
    t.append(String.format("| %-18s | %-4s | %-12s | %-10s | %-14s | %-14s |%n", "fault", "host", "recovered in",
        "violations", "max login wait", "LOGIN_CONFLICT"));
    t.append("|--------------------|------|--------------|------------|----------------|----------------|\n");
    JsonArray rows = new JsonArray();
    for (int i = 0; i < faults.size(); i++) {
      Nemesis.Outcome f = faults.get(i);
      long from = f.startAt();
      long to = i + 1 < faults.size() ? faults.get(i + 1).startAt() : Long.MAX_VALUE;
      long count = violations.stream().filter(v -> v.at() >= from && v.at() < to).count();
      long maxWait = history.ofType("login.ok").stream().filter(e -> e.at() >= from && e.at() < to)
          .mapToLong(e -> e.data().getLong("wait", 0L)).max().orElse(0);
      long conflicts = history.ofType("login.fail").stream().filter(e -> e.at() >= from && e.at() < to)
          .filter(e -> "LOGIN_CONFLICT".equals(e.data().getString("code"))).count();
      String rec = f.recoveryMs() < 0 ? "not in 60 s" : String.format("%.1f s", f.recoveryMs() / 1000.0);
      t.append(String.format("| %-18s | h%-3d | %-12s | %-10d | %-14s | %-14d |%n", f.fault(), f.host(), rec, count,
          String.format("%.1f s", maxWait / 1000.0), conflicts));
      rows.add(f.toJson().put("violations", count).put("maxLoginWaitMs", maxWait).put("loginConflicts", conflicts));
    }
    long before = faults.isEmpty() ? Long.MAX_VALUE : faults.get(0).startAt();
    long early = violations.stream().filter(v -> v.at() < before).count();
    t.append("measured: ").append(extra.getJsonObject("measures", new JsonObject()).encode()).append('\n');
    t.append("violations before the first fault: ").append(early).append(", total: ").append(violations.size())
        .append('\n');
    Map<String, Long> byInvariant = new TreeMap<>();
    violations.forEach(v -> byInvariant.merge(v.invariant(), 1L, Long::sum));
    byInvariant.forEach((k, v) -> t.append("  ").append(k).append(": ").append(v).append('\n'));
    violations.stream().limit(40).forEach(v -> t.append("  - [").append(v.invariant()).append("] @")
        .append(Instant.ofEpochMilli(v.at())).append(' ').append(v.message()).append('\n'));
    t.append(counts(history).encodePrettily()).append('\n');
    System.out.println(t);

    JsonArray vs = new JsonArray();
    violations.forEach(v -> vs.add(v.toJson()));
    JsonObject env = new JsonObject();
    JsonObject logs = new JsonObject();
    for (int i = 0; i < Bed.HOSTS; i++) {
      JsonObject e = new JsonObject();
      bed.nodeEnv(i).forEach(e::put);
      env.put("h" + i, e);
      logs.put("h" + i, new JsonArray(bed.node(i).logs().stream().map(Path::toString).toList()));
    }
    JsonObject doc = new JsonObject().put("runId", runId).put("startedAt", startedAt)
        .put("elapsedMs", System.currentTimeMillis() - startedAt).put("subnet", bed.net.subnet + ".0/24")
        .put("leaseMs", Bed.LEASE_MS).put("renewMs", Bed.RENEW_MS).put("nodeEnv", env).put("faults", rows)
        .put("violations", vs).put("counts", counts(history)).put("table", t.toString()).put("extra", extra)
        .put("logs", logs).put("history", history.toJson());
    Path out = Path.of("target", "nemesis", Instant.ofEpochMilli(startedAt).toString().replace(':', '-') + ".json");
    try {
      Files.createDirectories(out.getParent());
      Files.writeString(out, doc.encodePrettily());
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + out, e);
    }
    System.out.println("nemesis JSON: " + out.toAbsolutePath() + "\nnode logs: " + logs.encode());
    return out;
  }

  /** How much of each kind of event the run had: shows the workload really ran. */
  static JsonObject counts(History history) {
    Map<String, Integer> m = new TreeMap<>();
    for (Event e : history.events()) {
      String key = e.type().equals("login.fail") || e.type().equals("claim.fail")
          ? e.type() + ":" + e.data().getString("code") : e.type();
      m.merge(key, 1, Integer::sum);
    }
    JsonObject out = new JsonObject();
    m.forEach(out::put);
    return out;
  }
}
