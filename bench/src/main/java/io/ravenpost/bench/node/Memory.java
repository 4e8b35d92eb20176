package io.ravenpost.bench.node;

import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Sync;
import io.vertx.core.json.JsonObject;

/**
 * A node's memory at one moment: heap used after a full GC, RSS, and the authenticated
 * sessions it reports. With the pid known, GC is forced with {@code jcmd GC.run} (twice) and the
 * heap read with {@code jcmd GC.heap_info}; otherwise the heap comes from /metrics without a GC.
 */
public record Memory(long heapBytes, long rssBytes, double sessions, String heapSource) {
  private static final long SETTLE_MS = 1000;

  public static Memory measure(BenchRun run, BenchNode node) {
    long pid = node.pid();
    long heap = -1;
    String source;
    if (pid > 0 && ProcStats.gc(pid)) {
      Sync.sleep(SETTLE_MS);
      ProcStats.gc(pid);
      Sync.sleep(SETTLE_MS);
      heap = ProcStats.heapUsedBytes(pid);
      source = "jcmd GC.heap_info after jcmd GC.run";
    } else {
      source = "/metrics jvm_memory_used_bytes{area=\"heap\"} (no forced GC: pid or jcmd unavailable)";
    }
    if (heap < 0) {
      Double m = Sync.await(run.admin().metric(node.adminPort(), "jvm_memory_used_bytes", "area=\"heap\""), 10_000);
      heap = m.isNaN() ? -1 : m.longValue();
    }
    long rss = pid > 0 ? ProcStats.rssBytes(pid) : -1;
    double sessions = Sync.await(run.admin().metric(node.adminPort(), "raven_gate_sessions_online", null), 10_000);
    return new Memory(heap, rss, sessions, source);
  }

  public JsonObject toJson() {
    return new JsonObject().put("heapBytes", heapBytes).put("rssBytes", rssBytes).put("sessions", sessions)
        .put("heapSource", heapSource);
  }
}
