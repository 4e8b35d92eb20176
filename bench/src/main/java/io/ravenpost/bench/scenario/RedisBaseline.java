package io.ravenpost.bench.scenario;

import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Sync;
import io.ravenpost.bench.node.ProcStats;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.List;

/**
 * The login baseline: {@code redis-benchmark} running HSETNX (the registry's final write) at the
 * same concurrency, against the same Redis, on a key of this run that is deleted afterwards.
 */
final class RedisBaseline {
  private RedisBaseline() {
  }

  /** {@code {available, rps, avgMs, p50Ms, p99Ms, maxMs, requests, clients}} or {@code {available: false, why}}. */
  static JsonObject hsetnx(BenchRun run, int clients, int requests) {
    URI u = URI.create(run.options().redisUri());
    String host = u.getHost() == null ? "127.0.0.1" : u.getHost();
    int port = u.getPort() > 0 ? u.getPort() : 6379;
    String key = run.redisPrefix() + "bench:h";
    if (ProcStats.run(List.of("redis-benchmark", "--version")) == null) {
      return new JsonObject().put("available", false)
          .put("why", "redis-benchmark not installed (apt-get install redis-tools)");
    }
    Progress.say(String.format("redis-benchmark -c %d -n %d hsetnx", clients, requests));
    String out = ProcStats.run(List.of("redis-benchmark", "-h", host, "-p", Integer.toString(port),
        "-c", Integer.toString(clients), "-n", Integer.toString(requests), "-r", "1000000", "--csv",
        "hsetnx", key, "__rand_int__", "x"));
    try {
      Sync.await(run.redis().del(List.of(key)), 10_000);
    } catch (RuntimeException e) {
      // The key is prefixed by the run id; a leftover is harmless.
    }
    if (out == null) {
      return new JsonObject().put("available", false).put("why", "redis-benchmark failed");
    }
    return parse(out).put("clients", clients).put("requests", requests);
  }

  /** Parses {@code --csv} output: a header line, then one quoted line per test. */
  static JsonObject parse(String csv) {
    List<String> lines = csv.lines().filter(l -> l.startsWith("\"")).toList();
    if (lines.size() < 2) {
      return new JsonObject().put("available", false).put("why", "unexpected redis-benchmark output: " + csv);
    }
    String[] head = split(lines.get(0));
    String[] vals = split(lines.get(lines.size() - 1));
    JsonObject r = new JsonObject().put("available", true);
    for (int i = 1; i < head.length && i < vals.length; i++) {
      String k = switch (head[i]) {
        case "rps" -> "rps";
        case "avg_latency_ms" -> "avgMs";
        case "p50_latency_ms" -> "p50Ms";
        case "p95_latency_ms" -> "p95Ms";
        case "p99_latency_ms" -> "p99Ms";
        case "max_latency_ms" -> "maxMs";
        default -> null;
      };
      if (k != null) {
        r.put(k, Double.parseDouble(vals[i]));
      }
    }
    return r;
  }

  private static String[] split(String line) {
    String[] parts = line.split("\",\"");
    parts[0] = parts[0].replaceFirst("^\"", "");
    parts[parts.length - 1] = parts[parts.length - 1].replaceFirst("\"$", "");
    return parts;
  }
}
