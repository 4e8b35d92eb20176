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
import io.ravenpost.bench.load.BenchClient.Transport;
import io.ravenpost.bench.load.SessionPool;
import io.ravenpost.bench.node.BenchNode;
import io.ravenpost.bench.node.HeapBreakdown;
import io.ravenpost.bench.node.Memory;
import io.ravenpost.bench.node.NodeSet;
import io.ravenpost.bench.node.ProcStats;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * {@code idle}: heap and RSS per authenticated idle session, over WebSocket and over TCP, each on
 * a node of its own (RSS does not shrink after sessions close, so a second transport on the same
 * JVM would find its memory already there). Each node is measured with 0 sessions (after a warm-up
 * of logins, so classes and JIT code are there) and again with N; the difference divided by N is
 * the cost of a session. Heap per session is the growth of live objects in the class histogram
 * (after the full GC it forces); the heap's used size after a GC is shown too, noisier, as it also
 * holds G1's partly filled regions.
 */
public final class IdleScenario implements Scenario {
  static final double GOAL_BYTES = 8192;
  private static final long SETTLE_MS = 3000;

  @Override
  public String name() {
    return "idle";
  }

  /** What one transport's node measured. */
  private record Measured(Transport transport, int open, double openSeconds, long failed, Memory empty, Memory full,
                          List<HeapBreakdown.Row> breakdown, Double livePer) {
    /** Live objects per session where the class histogram was read, else the heap's used size per session. */
    Double heapPer() {
      return livePer != null ? livePer : usedPer();
    }

    Double usedPer() {
      return perSession(empty.heapBytes(), full.heapBytes(), open);
    }

    Double rssPer() {
      return perSession(empty.rssBytes(), full.rssBytes(), open);
    }

    String label() {
      return transport == Transport.WS ? "WebSocket" : "TCP";
    }

    JsonObject toJson() {
      JsonObject o = new JsonObject().put("sessions", open).put("openSeconds", Latency.round(openSeconds))
          .put("loginsPerSecondWhileOpening", Latency.round(open / openSeconds)).put("failedLogins", failed)
          .put("heapBytesPerSession", heapPer()).put("liveBytesPerSession", livePer)
          .put("heapUsedBytesPerSession", usedPer()).put("rssBytesPerSession", rssPer())
          .put("zeroSessions", empty.toJson()).put("withSessions", full.toJson());
      return breakdown.isEmpty() ? o : o.put("heapByClass", HeapBreakdown.toJson(breakdown));
    }
  }

  @Override
  public Report run(BenchRun run) {
    BenchOptions o = run.options();
    Report report = new Report(name());
    int n = Limits.sessions(report, o.clientsOr(20_000, 50));
    Measured ws = measure(run, report, Transport.WS, n);
    Measured tcp = measure(run, report, Transport.TCP, n);
    report.figures.put("sessionsAsked", n).put("ws", ws.toJson()).put("tcp", tcp.toJson())
        // The WebSocket figures stay at the top level too, where earlier runs' JSON has them.
        .put("heapBytesPerSession", ws.heapPer()).put("rssBytesPerSession", ws.rssPer());
    report.baseline.put("zeroSessions", ws.empty().toJson()).put("zeroSessionsTcp", tcp.empty().toJson());
    Table t = new Table("", "WebSocket", "TCP");
    t.row("sessions", ws.open(), tcp.open());
    t.row("heap after GC with 0 sessions, MiB", mib(ws.empty().heapBytes()), mib(tcp.empty().heapBytes()));
    t.row("heap after GC with the sessions, MiB", mib(ws.full().heapBytes()), mib(tcp.full().heapBytes()));
    t.row("heap per session: live objects (class histogram)", bytes(ws.livePer()), bytes(tcp.livePer()));
    t.row("heap per session: used after GC", bytes(ws.usedPer()), bytes(tcp.usedPer()));
    t.row("RSS per session", bytes(ws.rssPer()), bytes(tcp.rssPer()));
    t.row("sessions the node reports", ws.full().sessions(), tcp.full().sessions());
    t.row("time to open, s (logins/s)", opening(ws), opening(tcp));
    report.table(t);
    for (Measured m : List.of(ws, tcp)) {
      report.goal(Goal.atMost("heap per " + m.label() + " session", m.heapPer(), GOAL_BYTES, "B"));
      report.goal(Goal.atMost("RSS per " + m.label() + " session", m.rssPer(), GOAL_BYTES, "B"));
      if (!m.breakdown().isEmpty()) {
        report.table(HeapBreakdown.table(m.breakdown(), m.heapPer()));
      }
    }
    report.note("heap: " + ws.full().heapSource());
    return report;
  }

  private static Measured measure(BenchRun run, Report report, Transport transport, int n) {
    String what = transport == Transport.WS ? "idle ws" : "idle tcp";
    try (NodeSet nodes = NodeSet.open(run, "idle-" + transport.name().toLowerCase(), 1)) {
      BenchNode node = nodes.get(0);
      int port = transport == Transport.WS ? node.wsPort() : node.tcpPort();
      if (node.pid() <= 0) {
        report.note("node pid unknown: no RSS, heap from /metrics without a forced GC");
      }
      try (SessionPool warm = SessionPool.open(run, what + " warm-up", port, transport, Math.min(n, 500), p -> { })) {
        report.figures.put("warmupSessions", warm.open());
      }
      Sync.sleep(SETTLE_MS);
      Memory empty = Memory.measure(run, node);
      Map<String, long[]> histoEmpty = ProcStats.classHistogram(node.pid());
      Progress.say(String.format("%s: 0 sessions: heap %.1f MiB, RSS %.1f MiB", what, mib(empty.heapBytes()),
          mib(empty.rssBytes())));
      Measured m;
      try (SessionPool pool = SessionPool.open(run, what + " open", port, transport, n, p -> { })) {
        Sync.sleep(run.options().smoke() ? 500 : SETTLE_MS);
        Memory full = Memory.measure(run, node);
        int open = pool.open();
        Map<String, long[]> histoFull = ProcStats.classHistogram(node.pid());
        m = new Measured(transport, open, pool.openSeconds(), pool.failed.sum(), empty, full,
            HeapBreakdown.perSession(histoEmpty, histoFull, open),
            HeapBreakdown.liveBytesPerSession(histoEmpty, histoFull, open));
      }
      String dead = nodes.deaths();
      if (dead != null) {
        report.note(dead);
      }
      Progress.say(String.format("%s: %,d sessions: %s heap, %s RSS per session", what, m.open(), bytes(m.heapPer()),
          bytes(m.rssPer())));
      return m;
    }
  }

  private static String opening(Measured m) {
    return String.format("%.1f (%,.0f/s)", m.openSeconds(), m.open() / m.openSeconds());
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
