package io.ravenpost.bench;

import io.ravenpost.common.config.RavenConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What one {@code bench} invocation asks for. Zero for {@code nodes}, {@code clients} or
 * {@code durationS} means "the scenario's default" (full size, or tiny in smoke mode).
 *
 * @param targets      running nodes to load instead of starting child processes (empty: start them)
 * @param mysqlUri     the database the started nodes use and the scenarios seed (a disposable one)
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
  public static final List<String> ALL = List.of("login", "idle", "heartbeat", "crossnode", "push", "send", "global");
  static final String DEFAULT_NODE_OPTS = "-Xms256m -Xmx1g -XX:+UseG1GC";

  public static final String USAGE = String.join("\n",
      "usage: bench [scenario...] [--nodes N] [--clients C] [--duration S] [--smoke]",
      "             [--target ws://127.0.0.1:7100[,ws://...]] [--admin http://127.0.0.1:7180[,...]]",
      "             [--out DIR] [--mysql URI] [--redis URI] [--loops L] [--source-addresses K]",
      "             [--redis-cluster]",
      "scenarios: " + String.join(" ", ALL) + " (default: all)",
      "  --nodes N      nodes to start (login: phases with 1 and N nodes; default 2 where two are needed)",
      "  --clients C    concurrent clients / sessions / players (scenario default otherwise)",
      "  --duration S   measured seconds per phase",
      "  --smoke        tiny sizes, a few seconds: checks that the scenarios run",
      "  --target       reuse running nodes instead of starting child JVMs (admin port = ws port + 80",
      "                 unless --admin says otherwise)",
      "  --mysql URI    database for started nodes and seeding (default: the configured one with",
      "                 database ravenpost_bench; RAVEN_BENCH_MYSQL_URI also sets it)",
      "  --redis-cluster login: also run the N-node phase on a local 3-master Redis Cluster",
      "env: RAVEN_BENCH_NODE_OPTS (JVM flags of started nodes, default \"" + DEFAULT_NODE_OPTS + "\")");

  /** Parses the command line; defaults come from the node configuration (config file and env). */
  public static BenchOptions parse(String[] args) {
    RavenConfig cfg = RavenConfig.load(null);
    List<String> scenarios = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    List<String> admins = new ArrayList<>();
    int nodes = 0;
    int clients = 0;
    int duration = 0;
    boolean smoke = false;
    boolean redisCluster = false;
    Path out = Path.of("bench-results");
    String env = System.getenv("RAVEN_BENCH_MYSQL_URI");
    String mysql = env != null && !env.isBlank() ? env
        : withDatabase(cfg.mysql().shardUris().get(0), "ravenpost_bench");
    String redis = cfg.redis().uri();
    int loops = 2;
    int sources = 4;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--smoke" -> smoke = true;
        case "--redis-cluster" -> redisCluster = true;
        case "--nodes" -> nodes = intArg(args, ++i, a, 1, 16);
        case "--clients" -> clients = intArg(args, ++i, a, 1, 1_000_000);
        case "--duration" -> duration = intArg(args, ++i, a, 1, 3600);
        case "--loops" -> loops = intArg(args, ++i, a, 1, 64);
        case "--source-addresses" -> sources = intArg(args, ++i, a, 1, 250);
        case "--target" -> targets.addAll(List.of(strArg(args, ++i, a).split(",")));
        case "--admin" -> admins.addAll(List.of(strArg(args, ++i, a).split(",")));
        case "--out" -> out = Path.of(strArg(args, ++i, a));
        case "--mysql" -> mysql = strArg(args, ++i, a);
        case "--redis" -> redis = strArg(args, ++i, a);
        default -> {
          if (a.startsWith("--")) {
            throw new IllegalArgumentException("unknown option " + a);
          }
          scenarios.addAll(expand(a));
        }
      }
    }
    if (!admins.isEmpty() && admins.size() != targets.size()) {
      throw new IllegalArgumentException("--admin needs one address per --target");
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      endpoints.add(Endpoint.parse(targets.get(i).trim(), admins.isEmpty() ? null : admins.get(i).trim()));
    }
    String opts = System.getenv().getOrDefault("RAVEN_BENCH_NODE_OPTS", DEFAULT_NODE_OPTS);
    return new BenchOptions(scenarios.isEmpty() ? ALL : List.copyOf(scenarios), nodes, clients, duration,
        List.copyOf(endpoints), smoke, out, mysql, redis, cfg.jwt().secret(), opts, loops, sources,
        cfg.admin().jwtSecret(), redisCluster);
  }

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
        .put("mysql", redactPassword(mysqlUri)).put("redis", redactPassword(redisUri))
        .put("nodeJavaOpts", nodeJavaOpts).put("loops", loops).put("sourceAddresses", sourceAddresses);
  }

  static String withDatabase(String uri, String db) {
    int q = uri.indexOf('?');
    String base = q < 0 ? uri : uri.substring(0, q);
    String query = q < 0 ? "" : uri.substring(q);
    int slash = base.indexOf('/', base.indexOf("://") + 3);
    return (slash < 0 ? base : base.substring(0, slash)) + "/" + db + query;
  }

  private static String redactPassword(String uri) {
    return uri.replaceFirst("://([^:/@]+):[^@]*@", "://$1:***@");
  }

  private static List<String> expand(String name) {
    if (name.equals("all")) {
      return ALL;
    }
    if (!ALL.contains(name)) {
      throw new IllegalArgumentException("unknown scenario " + name + " (known: " + String.join(", ", ALL) + ")");
    }
    return List.of(name);
  }

  private static String strArg(String[] args, int i, String flag) {
    if (i >= args.length) {
      throw new IllegalArgumentException(flag + " needs a value");
    }
    return args[i];
  }

  private static int intArg(String[] args, int i, String flag, int min, int max) {
    String v = strArg(args, i, flag);
    try {
      int n = Integer.parseInt(v);
      if (n < min || n > max) {
        throw new IllegalArgumentException(flag + " must be between " + min + " and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(flag + " takes a whole number, not " + v);
    }
  }
}
