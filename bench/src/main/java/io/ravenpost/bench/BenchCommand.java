package io.ravenpost.bench;

import io.ravenpost.node.RavenConfig;
import io.ravenpost.tools.Cli;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/**
 * {@code ./run.sh bench ...} ({@code java -cp target/ravenpost.jar:bench/target/ravenpost-bench.jar
 * io.ravenpost.bench.BenchCommand ...}): parses the command line and runs the benchmark. Defaults
 * come from the node configuration (config file and env).
 */
@Command(name = "bench", sortOptions = false, usageHelpWidth = 100,
    description = "Runs the benchmark scenarios one after another and writes <out>/<scenario>.json for each.",
    footer = "Environment: RAVEN_BENCH_MYSQL_URI (as --mysql), RAVEN_BENCH_NODE_OPTS (JVM flags of started nodes, "
        + "default \"" + BenchOptions.DEFAULT_NODE_OPTS + "\").")
public final class BenchCommand implements Callable<Integer> {
  @Spec
  private CommandSpec spec;

  @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help.")
  private boolean help;

  @Parameters(paramLabel = "SCENARIO", arity = "0..*",
      description = "login, idle, heartbeat, crossnode, push, send, global, sync, grants, logincost, or all (the default)")
  private List<String> scenarios = new ArrayList<>();

  @Option(names = "--nodes", paramLabel = "N",
      description = "nodes to start, 1-16 (login: phases with 1 and N nodes; default 2 where two are needed)")
  private Integer nodes;

  @Option(names = "--clients", paramLabel = "C", description = "concurrent clients / sessions / players "
      + "(scenario default otherwise)")
  private Integer clients;

  @Option(names = "--duration", paramLabel = "S", description = "measured seconds per phase, 1-3600")
  private Integer duration;

  @Option(names = "--smoke", description = "tiny sizes, a few seconds: checks that the scenarios run")
  private boolean smoke;

  @Option(names = "--target", paramLabel = "ws://127.0.0.1:7100", split = ",",
      description = "reuse running nodes instead of starting child JVMs (admin port = ws port + 80 unless "
          + "--admin says otherwise)")
  private List<String> targets = new ArrayList<>();

  @Option(names = "--admin", paramLabel = "http://127.0.0.1:7180", split = ",",
      description = "the admin address of each --target, in the same order")
  private List<String> admins = new ArrayList<>();

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-results",
      description = "where result files go (default: ${DEFAULT-VALUE})")
  private Path out;

  @Option(names = "--mysql", paramLabel = "URI", description = "MySQL server and credentials; each scenario creates "
      + "and drops a database <db>_<run>_<scenario> named after this URI's <db> (default: the configured server "
      + "with database ravenpost_bench; with --target: the targets' database, used as it is)")
  private String mysql;

  @Option(names = "--redis", paramLabel = "URI", description = "Redis for started nodes (default: the configured one)")
  private String redis;

  @Option(names = "--loops", paramLabel = "L", defaultValue = "2",
      description = "event loops of the load generator, 1-64 (default: ${DEFAULT-VALUE})")
  private int loops;

  @Option(names = "--source-addresses", paramLabel = "K", defaultValue = "4",
      description = "local addresses (127.0.0.1, .2, ...) clients connect from, 1-250 (default: ${DEFAULT-VALUE})")
  private int sourceAddresses;

  @Option(names = "--redis-cluster", description = "login: also run the N-node phase on a local 3-master Redis "
      + "Cluster")
  private boolean redisCluster;

  public static void main(String[] args) {
    System.exit(Cli.configure(new CommandLine(new BenchCommand())).execute(args));
  }

  /** 0 when every scenario ran (or was skipped for a missing feature). */
  @Override
  public Integer call() {
    // Arguments first: the configuration may itself be refused, and that says nothing about them.
    checkArguments();
    List<Path> files = Bench.run(options(RavenConfig.load(null), System.getenv()));
    System.out.println("[bench] results: " + files);
    return 0;
  }

  /** What was asked, with the defaults of {@code cfg} and {@code env} for what was not. */
  BenchOptions options(RavenConfig cfg, Map<String, String> env) {
    String benchDb = env.get("RAVEN_BENCH_MYSQL_URI");
    String db = mysql != null ? mysql : benchDb != null && !benchDb.isBlank() ? benchDb
        : BenchOptions.withDatabase(cfg.mysql().shardUris().get(0), "ravenpost_bench");
    return new BenchOptions(expand(scenarios), orZero(nodes), orZero(clients), orZero(duration), endpoints(), smoke,
        out, db, redis != null ? redis : cfg.redis().uri(), cfg.jwt().secret(),
        env.getOrDefault("RAVEN_BENCH_NODE_OPTS", BenchOptions.DEFAULT_NODE_OPTS), loops, sourceAddresses,
        cfg.admin().jwtSecret(), redisCluster);
  }

  private void checkArguments() {
    scenarios.stream().filter(n -> !n.equals("all") && !BenchOptions.ALL.contains(n)).findFirst().ifPresent(n -> {
      throw Cli.badValue(spec, "unknown scenario '" + n + "' (known: " + String.join(", ", BenchOptions.ALL)
          + ", all)");
    });
    endpoints();
    if (nodes != null) {
      Cli.within(spec, "--nodes", nodes, 1, 16);
    }
    if (clients != null) {
      Cli.within(spec, "--clients", clients, 1, 1_000_000);
    }
    if (duration != null) {
      Cli.within(spec, "--duration", duration, 1, 3600);
    }
    Cli.within(spec, "--loops", loops, 1, 64);
    Cli.within(spec, "--source-addresses", sourceAddresses, 1, 250);
  }

  private List<Endpoint> endpoints() {
    if (!admins.isEmpty() && admins.size() != targets.size()) {
      throw Cli.badValue(spec, "--admin needs one address per --target");
    }
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < targets.size(); i++) {
      try {
        endpoints.add(Endpoint.parse(targets.get(i).trim(), admins.isEmpty() ? null : admins.get(i).trim()));
      } catch (IllegalArgumentException e) {
        throw Cli.badValue(spec, "--target/--admin: " + e.getMessage());
      }
    }
    return List.copyOf(endpoints);
  }

  /** Zero for nodes, clients and duration means the scenario's own default. */
  private static int orZero(Integer n) {
    return n == null ? 0 : n;
  }

  private static List<String> expand(List<String> names) {
    if (names.isEmpty() || names.contains("all")) {
      return BenchOptions.ALL;
    }
    return List.copyOf(names);
  }
}
