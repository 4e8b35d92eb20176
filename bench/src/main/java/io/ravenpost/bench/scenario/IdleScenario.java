package io.ravenpost.bench.scenario;

import io.ravenpost.bench.BenchOptions;
import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Goal;
import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Report;
import io.ravenpost.bench.Scenario;
import io.ravenpost.bench.Sync;
import io.ravenpost.bench.Table;
import io.ravenpost.bench.load.SessionPool;
import io.ravenpost.bench.node.BenchNode;
import io.ravenpost.bench.node.HeapBreakdown;
import io.ravenpost.bench.node.Memory;
import io.ravenpost.bench.node.NodeSet;
import io.ravenpost.bench.node.ProcStats;
import java.util.List;
import java.util.Map;

/**
 * {@code idle}: heap and RSS per authenticated idle WebSocket session. One node, measured with
 * 0 sessions (after a warm-up of logins, so classes and JIT code are there) and again with N;
 * the difference divided by N is the cost of a session.
 */
public final class IdleScenario implements Scenario {
  static final double GOAL_BYTES = 8192;
  private static final long SETTLE_MS = 3000;

  @Override
  public String name() {
    return "idle";
  }

  @Override
  public Report run(BenchRun run) {
    BenchOptions o = run.options();
    Report report = new Report(name());
    int n = Limits.sessions(report, o.clientsOr(20_000, 50));
    try (NodeSet nodes = NodeSet.open(run, name(), 1)) {
      BenchNode node = nodes.get(0);
      if (node.pid() <= 0) {
        report.note("node pid unknown: no RSS, heap from /metrics without a forced GC");
      }
      try (SessionPool warm = SessionPool.open(run, "idle warm-up", node.wsPort(), Math.min(n, 500), p -> { })) {
        report.figures.put("warmupSessions", warm.open());
      }
      Sync.sleep(SETTLE_MS);
      Memory empty = Memory.measure(run, node);
      Map<String, long[]> histoEmpty = ProcStats.classHistogram(node.pid());
      Progress.say(String.format("idle: 0 sessions: heap %.1f MiB, RSS %.1f MiB", mib(empty.heapBytes()),
          mib(empty.rssBytes())));
      Memory full;
      List<HeapBreakdown.Row> breakdown;
      int open;
      double openSeconds;
      try (SessionPool pool = SessionPool.open(run, "idle open", node.wsPort(), n, p -> { })) {
        Sync.sleep(o.smoke() ? 500 : SETTLE_MS);
        full = Memory.measure(run, node);
        open = pool.open();
        breakdown = HeapBreakdown.perSession(histoEmpty, ProcStats.classHistogram(node.pid()), open);
        openSeconds = pool.openSeconds();
        report.figures.put("failedLogins", pool.failed.sum());
      }
      String dead = nodes.deaths();
      if (dead != null) {
        report.note(dead);
      }
      if (!breakdown.isEmpty()) {
        report.figures.put("heapByClass", HeapBreakdown.toJson(breakdown));
      }
      describe(report, n, open, openSeconds, empty, full);
      return breakdown.isEmpty() ? report
          : report.table(HeapBreakdown.table(breakdown, report.figures.getDouble("heapBytesPerSession")));
    }
  }

  private static Report describe(Report report, int asked, int open, double openSeconds, Memory empty, Memory full) {
    Double heapPer = perSession(empty.heapBytes(), full.heapBytes(), open);
    Double rssPer = perSession(empty.rssBytes(), full.rssBytes(), open);
    report.figures.put("sessions", open).put("sessionsAsked", asked).put("openSeconds", Latency.round(openSeconds))
        .put("loginsPerSecondWhileOpening", Latency.round(open / openSeconds))
        .put("heapBytesPerSession", heapPer).put("rssBytesPerSession", rssPer).put("withSessions", full.toJson());
    report.baseline.put("zeroSessions", empty.toJson());
    Table t = new Table("", "0 sessions (same JVM)", String.format("%,d sessions", open), "per session");
    t.row("heap after GC, MiB", mib(empty.heapBytes()), mib(full.heapBytes()), bytes(heapPer));
    t.row("RSS, MiB", mib(empty.rssBytes()), mib(full.rssBytes()), bytes(rssPer));
    t.row("sessions the node reports", empty.sessions(), full.sessions(), "");
    t.row("time to open, s (logins/s)", "", String.format("%.1f (%,.0f/s)", openSeconds, open / openSeconds), "");
    report.table(t);
    report.goal(Goal.atMost("heap per session", heapPer, GOAL_BYTES, "B"));
    report.goal(Goal.atMost("RSS per session", rssPer, GOAL_BYTES, "B"));
    report.note("heap: " + full.heapSource());
    return report;
  }

  private static Double perSession(long before, long after, int sessions) {
    return before < 0 || after < 0 || sessions == 0 ? null : (double) (after - before) / sessions;
  }

  private static Object bytes(Double v) {
    return v == null ? null : String.format("%,.0f B", v);
  }

  private static Object mib(long b) {
    return b < 0 ? null : b / (1024.0 * 1024.0);
  }
}
