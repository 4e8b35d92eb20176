package io.ravenpost.tools;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.Main;
import io.ravenpost.common.Tokens;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.MainProcess;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/**
 * {@code ravenpost node | token | operator | config}: every command has --help; a bad value is one
 * line naming the option and exit code 2, never a stack trace; {@code token} and {@code config} run
 * as an operator runs them (a JVM of their own, configured by environment).
 */
@ExtendWith(VertxExtension.class)
class CommandLineTest {
  private static final String DB_PASSWORD = "db-pw-4c1f";
  private static final String REDIS_PASSWORD = "redis-pw-9e2a";

  @Test
  void everyCommandHasHelp() {
    List<CommandLine> all = new ArrayList<>();
    collect(new Main().commandLine(), all);
    assertThat(all.stream().map(c -> c.getCommandSpec().qualifiedName())).contains("ravenpost", "ravenpost node",
        "ravenpost token", "ravenpost operator", "ravenpost operator add", "ravenpost operator list",
        "ravenpost operator password", "ravenpost operator remove", "ravenpost config");
    for (CommandLine c : all) {
      List<String> args = new ArrayList<>(List.of(c.getCommandSpec().qualifiedName().split(" ")));
      args.remove(0);
      args.add("--help");
      Run r = inProcess(args.toArray(String[]::new));
      assertThat(r.code).as(String.join(" ", args)).isZero();
      assertThat(r.out).startsWith("Usage: " + c.getCommandSpec().qualifiedName());
    }
  }

  @Test
  void aBadValueIsOneLineNamingTheOptionAndExitCode2() {
    assertBad(inProcess("token", "--uid", "42", "--level", "x"), "--level");
    assertBad(inProcess("token", "--uid", "abc"), "--uid");
    assertBad(inProcess("token", "--uid", "0"), "--uid");
    assertBad(inProcess("token"), "--uid");
    assertBad(inProcess("token", "--uid", "42", "--role", "king"), "--role");
    assertBad(inProcess("token", "--uid", "42", "--created-at", "yesterday"), "--created-at");
    assertBad(inProcess("token", "--uid", "42", "--ttl", "0"), "--ttl");
    assertBad(inProcess("token", "--uid", "42", "--locale", "not a tag"), "--locale");
    assertBad(inProcess("operator", "add", "alice", "--role", "nobody"), "--role");
    assertBad(inProcess("operator", "add", "alice"), "--role");
    assertBad(inProcess("operator"), "subcommand");
    assertBad(inProcess("operator", "rename", "alice"), "rename");
    assertBad(inProcess("launch"), "launch");
  }

  @Test
  void tokenSignsTheClaimsItIsGivenWithLocale(Vertx vertx) {
    MainProcess.Result r = MainProcess.run(Map.of("RAVEN_JWT_SECRET", TestEnv.SECRET,
        "RAVEN_ADMIN_JWT_SECRET", TestEnv.ADMIN_SECRET), "token", "--uid", "42", "--zone", "eu", "--level", "7",
        "--tags", "vip,beta", "--locale", "pt-br", "--ttl", "600");

    assertThat(r.code()).as(r.out()).isZero();
    String token = r.out().trim();
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1])));
    assertThat(claims.getString("sub")).isEqualTo("42");
    assertThat(claims.getString("locale")).isEqualTo("pt-BR");
    assertThat(claims.getJsonArray("tags")).containsExactly("vip", "beta");
    assertThat(claims.getLong("exp") - claims.getLong("iat")).isEqualTo(600);
    var verified = Await.result(new Tokens(vertx, TestEnv.SECRET, 5).verify(token));
    assertThat(verified.uid()).isEqualTo(42);
    assertThat(verified.level()).isEqualTo(7);
  }

  @Test
  void playerTokensCarryTheIssuerAndAudienceNodesCheck() {
    MainProcess.Result r = MainProcess.run(Map.of("RAVEN_JWT_SECRET", TestEnv.SECRET,
        "RAVEN_ADMIN_JWT_SECRET", TestEnv.ADMIN_SECRET, "RAVEN_JWT_ISSUER", "https://accounts.example.test",
        "RAVEN_JWT_AUDIENCE", "ravenpost"), "token", "--uid", "42");

    assertThat(r.code()).as(r.out()).isZero();
    JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(r.out().trim().split("\\.")[1])));
    assertThat(claims.getString("iss")).isEqualTo("https://accounts.example.test");
    assertThat(claims.getString("aud")).isEqualTo("ravenpost");

    MainProcess.Result none = MainProcess.run(Map.of("RAVEN_JWT_SECRET", "", "RAVEN_ADMIN_JWT_SECRET",
        TestEnv.ADMIN_SECRET, "RAVEN_JWT_JWKS_URL", "https://accounts.example.test/jwks.json"), "token", "--uid", "42");
    assertThat(none.code()).isEqualTo(2);
    assertThat(none.out().strip()).contains("jwt.secret").doesNotContain("\n");
  }

  @Test
  void configPrintsTheEffectiveConfigurationWithSecretsMasked() {
    MainProcess.Result r = MainProcess.run(Map.of("RAVEN_JWT_SECRET", TestEnv.SECRET,
        "RAVEN_ADMIN_JWT_SECRET", TestEnv.ADMIN_SECRET, "RAVEN_GATE_WS_PORT", "9100",
        "RAVEN_MYSQL_URI", "mysql://ravenpost:" + DB_PASSWORD + "@127.0.0.1:3306/ravenpost",
        "RAVEN_MYSQL_SHARDS", "mysql://a:" + DB_PASSWORD + "@h1:3306/x,mysql://b:" + DB_PASSWORD + "@h2:3306/y",
        "RAVEN_REDIS_URI", "redis://:" + REDIS_PASSWORD + "@127.0.0.1:6379",
        "RAVEN_REDIS_CLUSTER_NODES", "redis://u:" + REDIS_PASSWORD + "@10.0.0.5:7000"), "config");

    assertThat(r.code()).as(r.out()).isZero();
    assertThat(r.out()).doesNotContain(TestEnv.SECRET, TestEnv.ADMIN_SECRET, DB_PASSWORD, REDIS_PASSWORD);
    JsonObject cfg = new JsonObject(r.out());
    // As RavenConfig holds it: values from the environment stay text until a section reads them.
    assertThat(cfg.getJsonObject("gate").getValue("wsPort")).as("the environment applied").hasToString("9100");
    assertThat(cfg.getJsonObject("jwt").getString("secret")).isEqualTo("****");
    assertThat(cfg.getJsonObject("admin").getString("jwtSecret")).isEqualTo("****");
    assertThat(cfg.getJsonObject("mysql").getString("uri"))
        .isEqualTo("mysql://ravenpost:****@127.0.0.1:3306/ravenpost");
    assertThat(cfg.getJsonObject("mysql").getJsonArray("shards")).hasSize(2);
    assertThat(cfg.getJsonObject("redis").getJsonArray("clusterNodes")).containsExactly("redis://u:****@10.0.0.5:7000");
  }

  @Test
  void aBadValueInTheConfigurationIsOneLineAndExitCode2() {
    MainProcess.Result r = MainProcess.run(Map.of("RAVEN_GATE_WS_PORT", "lots"), "config");

    assertThat(r.code()).isEqualTo(2);
    assertThat(r.out().strip()).startsWith("ravenpost config: config gate.wsPort").doesNotContain("\n");
  }

  private record Run(int code, String out, String err) {
  }

  private static Run inProcess(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine line = new Main().commandLine();
    line.setOut(new PrintWriter(out, true));
    line.setErr(new PrintWriter(err, true));
    int code = line.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static void assertBad(Run r, String named) {
    assertThat(r.code).as(r.err).isEqualTo(2);
    assertThat(r.err.strip()).as("one line").doesNotContain("\n").contains(named).doesNotContain("Exception");
    assertThat(r.out).isEmpty();
  }

  private static void collect(CommandLine c, List<CommandLine> into) {
    into.add(c);
    c.getSubcommands().values().forEach(s -> collect(s, into));
  }
}
