package io.ravenpost.bench.node;

import io.ravenpost.bench.Latency;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * CPU used by each process involved in a phase (nodes, the load generator, Redis, MariaDB), so
 * a result says where the machine's cores went: CPU milliseconds per operation per process.
 */
public final class CpuMeter {
  private final Map<String, Long> pids = new LinkedHashMap<>();
  private final Map<String, Long> start = new LinkedHashMap<>();
  private long startNanos;

  /**
   * The nodes, this JVM (the load generator), and Redis / MariaDB when found on their ports.
   * Processes that share a pid (in-process test nodes) are measured once, under joined labels.
   */
  public static CpuMeter of(Iterable<BenchNode> nodes) {
    Map<Long, String> byPid = new LinkedHashMap<>();
    for (BenchNode n : nodes) {
      add(byPid, n.pid(), n.label());
    }
    add(byPid, ProcessHandle.current().pid(), "load generator");
    add(byPid, ProcStats.pidListeningOn(6379), "redis");
    add(byPid, ProcStats.pidListeningOn(3306), "mariadb");
    CpuMeter m = new CpuMeter();
    byPid.forEach((pid, label) -> m.pids.put(label, pid));
    return m;
  }

  /** One process (a baseline server) and this JVM. */
  public static CpuMeter of(String label, long pid) {
    CpuMeter m = new CpuMeter();
    m.pids.put(label, pid);
    m.pids.put("load generator", ProcessHandle.current().pid());
    return m;
  }

  private static void add(Map<Long, String> byPid, long pid, String label) {
    if (pid > 0) {
      byPid.merge(pid, label, (a, b) -> a + " + " + b);
    }
  }

  public CpuMeter begin() {
    startNanos = System.nanoTime();
    pids.forEach((k, pid) -> start.put(k, ProcStats.cpuMillis(pid)));
    return this;
  }

  /**
   * {@code {process: {cpuMs, coresBusy, cpuMsPerOp}}} since {@link #begin()}; processes whose
   * pid is unknown (or shared, like in-process test nodes) are left out.
   */
  public JsonObject end(long operations) {
    double wall = (System.nanoTime() - startNanos) / 1e6;
    JsonObject out = new JsonObject();
    pids.forEach((k, pid) -> {
      long before = start.getOrDefault(k, -1L);
      long after = ProcStats.cpuMillis(pid);
      if (before < 0 || after < 0) {
        return;
      }
      long used = after - before;
      out.put(k, new JsonObject().put("pid", pid).put("cpuMs", used).put("coresBusy", Latency.round(used / wall))
          .put("cpuMsPerOp", operations == 0 ? null : Latency.round((double) used / operations)));
    });
    return out;
  }
}
