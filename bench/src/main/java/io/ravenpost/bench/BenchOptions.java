package io.ravenpost.bench;

import io.ravenpost.common.config.ConfigMask;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/**
 * What one {@code bench} invocation asks for. Zero for {@code nodes}, {@code clients} or
 * {@code durationS} means "the scenario's default" (full size, or tiny in smoke mode).
 *
 * @param targets      running nodes to load instead of starting child processes (empty: start them)
 * @param mysqlUri     the MySQL server and credentials; each scenario creates (and drops) a database
 *                     named after this URI's database, {@code <db>_<runId>_<scenario>}, unless it loads
 *                     {@code targets}, whose own database this then is
 * @param nodeJavaOpts heap and GC flags of started nodes
 * @param loops        event loops of the load generator
 * @param sourceAddresses how many local addresses (127.0.0.1, .2, ...) clients connect from
 * @param adminJwtSecret the operator secret the benchmark's admin token is signed with
 * @param redisCluster also run the scenario's nodes on a local 3-master Redis Cluster, in the same run
 */
public record BenchOptions(List<String> scenarios, int nodes, int clients, int durationS,
                           List<Endpoint> targets, boolean smoke, Path outDir, String mysqlUri,
                           String redisUri, String jwtSecret, String nodeJavaOpts, int loops,
                           int sourceAddresses, String adminJwtSecret, boolean redisCluster) {
  public static final List<String> ALL = List.of("login", "idle", "heartbeat", "crossnode", "push", "send", "global",
      "sync", "grants", "logincost");
  static final String DEFAULT_NODE_OPTS = "-Xms256m -Xmx1g -XX:+UseG1GC";

  /** Options for running against nodes that already run (tests): everything else at its default. */
  public static BenchOptions forTargets(List<String> scenarios, List<Endpoint> targets, boolean smoke, Path outDir,
                                        String mysqlUri, String redisUri, String jwtSecret,
                                        String adminJwtSecret) {
    return new BenchOptions(scenarios, 0, 0, 0, targets, smoke, outDir, mysqlUri, redisUri, jwtSecret,
        DEFAULT_NODE_OPTS, 2, 4, adminJwtSecret, false);
  }

  /** The given value, else the scenario's full or smoke default. */
  public int clientsOr(int full, int smokeSize) {
    return clients > 0 ? clients : smoke ? smokeSize : full;
  }

  public int durationOr(int full, int smokeSize) {
    return durationS > 0 ? durationS : smoke ? smokeSize : full;
  }

  public int nodesOr(int dflt) {
    return !targets.isEmpty() ? targets.size() : nodes > 0 ? nodes : dflt;
  }

  public boolean reuseCluster() {
    return !targets.isEmpty();
  }

  /** The options as they go into every result file (the token secret left out). */
  JsonObject toJson() {
    JsonArray t = new JsonArray();
    targets.forEach(e -> t.add(e.toString()));
    return new JsonObject().put("scenarios", new JsonArray(scenarios)).put("nodes", nodes)
        .put("clients", clients).put("durationS", durationS).put("targets", t).put("smoke", smoke)
        .put("mysql", ConfigMask.uri(mysqlUri)).put("redis", ConfigMask.uri(redisUri))
        .put("nodeJavaOpts", nodeJavaOpts).put("loops", loops).put("sourceAddresses", sourceAddresses);
  }

  static String withDatabase(String uri, String db) {
    int q = uri.indexOf('?');
    String base = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? "" : uri.substring(q);
    int slash = base.indexOf('/', base.indexOf("://") + 3);
    return (slash < 0 ? base : base.substring(0, slash)) + "/" + db + query;
  }
}
