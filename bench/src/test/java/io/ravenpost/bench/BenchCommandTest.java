package io.ravenpost.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.node.RavenConfig;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.tools.Cli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code ./run.sh bench ...}: every option and scenario name reaches BenchOptions; bad values are refused. */
class BenchCommandTest {
  private static final RavenConfig CONFIG = RavenConfig.load(Map.of("RAVEN_JWT_SECRET", TestEnv.SECRET,
      "RAVEN_ADMIN_JWT_SECRET", TestEnv.ADMIN_SECRET, "RAVEN_MYSQL_URI", "mysql://u:p@db:3306/ravenpost?ssl=false",
      "RAVEN_REDIS_URI", "redis://cache:6379"), null);

  @Test
  void everyOptionReachesTheOptions() {
    BenchOptions o = parse(Map.of(), "login", "push", "--nodes", "3", "--clients", "50", "--duration", "5",
        "--smoke", "--target", "ws://127.0.0.1:7100,ws://127.0.0.1:7110", "--admin",
        "http://127.0.0.1:7180,http://127.0.0.1:7190", "--out", "here", "--mysql", "mysql://b:q@other:3306/bench",
        "--redis", "redis://127.0.0.1:6380", "--loops", "3", "--source-addresses", "8", "--redis-cluster");

    assertThat(o.scenarios()).containsExactly("login", "push");
    assertThat(o.nodes()).isEqualTo(3);
    assertThat(o.clients()).isEqualTo(50);
    assertThat(o.durationS()).isEqualTo(5);
    assertThat(o.smoke()).isTrue();
    assertThat(o.targets()).containsExactly(new Endpoint(7100, 7180), new Endpoint(7110, 7190));
    assertThat(o.outDir()).isEqualTo(Path.of("here"));
    assertThat(o.mysqlUri()).isEqualTo("mysql://b:q@other:3306/bench");
    assertThat(o.redisUri()).isEqualTo("redis://127.0.0.1:6380");
    assertThat(o.loops()).isEqualTo(3);
    assertThat(o.sourceAddresses()).isEqualTo(8);
    assertThat(o.redisCluster()).isTrue();
    assertThat(o.jwtSecret()).isEqualTo(TestEnv.SECRET);
    assertThat(o.adminJwtSecret()).isEqualTo(TestEnv.ADMIN_SECRET);
  }

  @Test
  void defaultsComeFromTheConfigurationAndEnvironment() {
    BenchOptions o = parse(Map.of());
    assertThat(o.scenarios()).isEqualTo(BenchOptions.ALL);
    assertThat(o.nodes()).as("the scenario's own default").isZero();
    assertThat(o.clients()).isZero();
    assertThat(o.durationS()).isZero();
    assertThat(o.targets()).isEmpty();
    assertThat(o.outDir()).isEqualTo(Path.of("bench-results"));
    assertThat(o.mysqlUri()).isEqualTo("mysql://u:p@db:3306/ravenpost_bench?ssl=false");
    assertThat(o.redisUri()).isEqualTo("redis://cache:6379");
    assertThat(o.loops()).isEqualTo(2);
    assertThat(o.sourceAddresses()).isEqualTo(4);
    assertThat(o.nodeJavaOpts()).isEqualTo(BenchOptions.DEFAULT_NODE_OPTS);

    BenchOptions env = parse(Map.of("RAVEN_BENCH_MYSQL_URI", "mysql://x:y@z:3306/b", "RAVEN_BENCH_NODE_OPTS", "-Xmx2g"),
        "all");
    assertThat(env.scenarios()).isEqualTo(BenchOptions.ALL);
    assertThat(env.mysqlUri()).isEqualTo("mysql://x:y@z:3306/b");
    assertThat(env.nodeJavaOpts()).isEqualTo("-Xmx2g");
  }

  @Test
  void helpListsEveryScenarioAndOption() {
    StringWriter out = new StringWriter();
    CommandLine line = Cli.configure(new CommandLine(new BenchCommand()));
    line.setOut(new PrintWriter(out, true));
    assertThat(line.execute("--help")).isZero();
    assertThat(out.toString()).contains(BenchOptions.ALL).contains("--nodes", "--clients", "--duration", "--smoke",
        "--target", "--admin", "--out", "--mysql", "--redis", "--loops", "--source-addresses", "--redis-cluster");
  }

  @Test
  void aBadValueIsOneLineNamingItAndExitCode2() {
    assertRefused("--nodes", "--nodes", "x");
    assertRefused("--nodes", "--nodes", "17");
    assertRefused("--duration", "--duration", "0");
    assertRefused("--loops", "--loops", "65");
    assertRefused("--source-addresses", "--source-addresses", "many");
    assertRefused("dance", "login", "dance");
    assertRefused("127.0.0.1 only", "--target", "ws://10.0.0.9:7100");
    assertRefused("--admin", "--target", "ws://127.0.0.1:7100",
        "--admin", "http://127.0.0.1:7180,http://127.0.0.1:7190");
    assertRefused("--frobnicate", "--frobnicate");
  }

  private static BenchOptions parse(Map<String, String> env, String... args) {
    BenchCommand cmd = new BenchCommand();
    new CommandLine(cmd).parseArgs(args);
    return cmd.options(CONFIG, env);
  }

  private static void assertRefused(String named, String... args) {
    StringWriter err = new StringWriter();
    CommandLine line = Cli.configure(new CommandLine(new BenchCommand()));
    line.setErr(new PrintWriter(err, true));
    assertThat(line.execute(args)).as(err.toString()).isEqualTo(2);
    assertThat(err.toString().strip()).startsWith("bench: ").contains(named).doesNotContain("\n");
  }
}
