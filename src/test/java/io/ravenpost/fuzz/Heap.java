package io.ravenpost.fuzz;

import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestHttp;

/**
 * Heap in use as the node reports it on {@code /metrics} ({@code jvm_memory_used_bytes}, heap
 * pools), after a full collection: the test nodes live in this JVM, so {@code System.gc()} is theirs.
 */
final class Heap {
  private Heap() {
  }

  static long usedAfterGc(int adminPort) {
    System.gc();
    String metrics = TestHttp.get(adminPort, "/metrics", null).body();
    return (long) metrics.lines()
        .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  /** Polls (collecting each time) until the heap is back within {@code slackBytes} of {@code baseline}. */
  static long awaitWithin(int adminPort, long baseline, long slackBytes) {
    long[] last = {0};
    Poll.until("heap back within " + (slackBytes >> 20) + " MiB of " + (baseline >> 20) + " MiB", 20_000, () -> {
      last[0] = usedAfterGc(adminPort);
      return last[0] <= baseline + slackBytes;
    });
    return last[0];
  }
}
