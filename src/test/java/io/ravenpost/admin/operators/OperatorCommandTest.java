package io.ravenpost.admin.operators;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./run.sh operator ...} as an operator runs it (its own JVM, configured by environment):
 * the printed password signs in to the console, a reset one replaces it, a removed operator
 * cannot sign in, and each change is in the audit trail with actor {@code cli:<user>}.
 */
class OperatorCommandTest {
  private static final Pattern PASSWORD = Pattern.compile("password: (\\S+)");

  @Test
  void addPasswordListAndRemoveFromTheCommandLine() throws Exception {
    String name = "cli" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    try (TestCluster cluster = TestCluster.start(1)) {
      int admin = cluster.node(0).adminPort();
      Run added = operator("add", name, "--role", "operator");
      assertThat(added.code).as(added.out).isZero();
      String first = password(added.out);
      assertThat(signIn(admin, name, first)).isEqualTo(200);

      Run listed = operator("list");
      assertThat(listed.out).contains(name + "\toperator");

      Run reset = operator("password", name);
      String second = password(reset.out);
      assertThat(signIn(admin, name, first)).as("the old password").isEqualTo(401);
      assertThat(signIn(admin, name, second)).isEqualTo(200);

      assertThat(operator("add", name + "x", "--role", "nobody").code).as("a role that does not exist").isNotZero();
      assertThat(operator("remove", name).code).isZero();
      assertThat(signIn(admin, name, second)).as("a removed operator").isEqualTo(401);

      JsonObject audit = TestHttp.get(admin, "/admin/audit?limit=100", TestTokens.admin()).json();
      assertThat(audit.getJsonArray("entries").stream().map(e -> (JsonObject) e)
          .filter(e -> e.getString("actor").startsWith("cli:") && e.encode().contains(name)).count())
          .as("add, password and remove in the audit trail: " + audit.encode()).isGreaterThanOrEqualTo(3);
    }
  }

  private record Run(int code, String out) {
  }

  private static Run operator(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "io.ravenpost.Main", "operator"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("RAVEN_MYSQL_URI", TestEnv.mysqlUri());
    pb.environment().put("RAVEN_MYSQL_SHARDS", "");
    // The shipped development secrets are accepted only with every listener on loopback.
    pb.environment().put("RAVEN_GATE_HOST", "127.0.0.1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(p.exitValue(), out);
  }

  private static String password(String out) {
    Matcher m = PASSWORD.matcher(out);
    assertThat(m.find()).as("a password in: " + out).isTrue();
    return m.group(1);
  }

  private static int signIn(int port, String name, String password) {
    return TestHttp.post(port, "/console/session", null, new JsonObject().put("name", name).put("password", password))
        .status();
  }
}
