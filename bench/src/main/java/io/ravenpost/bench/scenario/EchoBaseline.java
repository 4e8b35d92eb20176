package io.ravenpost.bench.scenario;

import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Sync;
import io.ravenpost.bench.echo.BenchEcho;
import io.ravenpost.bench.load.AdminClient;
import io.ravenpost.bench.node.BenchNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Raw event-bus request-reply from node A to node B, measured inside A by {@link BenchEcho}:
 * the floor under anything that crosses from one node to another.
 */
final class EchoBaseline {
  private static final int ATTEMPTS = 20;
  private static final long RETRY_MS = 500;
  private static final int WARMUP = 500;

  private EchoBaseline() {
  }

  /** The RTT distribution of {@code n} sequential requests A → B, or null when the echo is not mounted. */
  static Latency measure(BenchRun run, BenchNode a, String bNodeId, int n, int bytes) {
    // B's echo consumer may take a moment to be known cluster-wide: retry the warm-up until it answers.
    AdminClient.Answer warm = null;
    for (int i = 0; i < ATTEMPTS; i++) {
      warm = Sync.await(run.admin().get(a.adminPort(), path(bNodeId, WARMUP, bytes)), 60_000);
      if (warm.status() == 200 || warm.status() == 404) {
        break;
      }
      Sync.sleep(RETRY_MS);
    }
    if (warm == null || warm.status() != 200) {
      return null;
    }
    AdminClient.Answer ans = Sync.await(run.admin().get(a.adminPort(), path(bNodeId, n, bytes)), 120_000);
    if (ans.status() != 200) {
      return null;
    }
    Latency l = new Latency();
    JsonArray rtt = ans.json().getJsonArray("rttMicros", new JsonArray());
    for (Object o : rtt) {
      l.recordMicros(((Number) o).longValue());
    }
    return l;
  }

  static JsonObject toJson(Latency l, int bytes) {
    return l == null ? new JsonObject().put("available", false)
        .put("why", "GET /internal/bench/echo not mounted (start nodes with RAVEN_BENCH_ECHO=true)")
        : new JsonObject().put("available", true).put("payloadBytes", bytes).put("latency", l.toJson());
  }

  private static String path(String to, int n, int bytes) {
    return "/internal/bench/echo?to=" + to + "&n=" + n + "&bytes=" + bytes;
  }
}
