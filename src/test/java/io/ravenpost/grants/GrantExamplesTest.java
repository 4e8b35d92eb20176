package io.ravenpost.grants;

import static io.ravenpost.grants.GrantTesting.claimed;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The receivers in examples/grants, run as a studio would run them ({@code node receiver.js},
 * {@code node pull.js}), get real grants from a node: each claimed attachment applied once; and
 * docs/grants.md shows them as they are.
 */
class GrantExamplesTest {
  @Test
  void theNodeWebhookReceiverAppliesEachClaimOnce() throws Exception {
    try (Example receiver = Example.start(Map.of("PORT", "0", "RAVEN_GRANTS_WEBHOOK_SECRET", GrantReceiver.SECRET),
        "examples/grants/receiver.js")) {
      int port = Poll.until("the receiver listens", 10_000, () -> receiver.lines.stream()
          .filter(l -> l.containsKey("listening")).map(l -> l.getInteger("listening")).findFirst().orElse(null));
      JsonObject cfg = new JsonObject().put("grants", new JsonObject().put("delivery", "webhook")
          .put("webhook", new JsonObject().put("url", "http://127.0.0.1:" + port + "/").put("secret", GrantReceiver.SECRET)));
      try (TestCluster cluster = TestCluster.start(1, cfg)) {
        appliedOnce(cluster.node(0), receiver);
      }
    }
  }

  @Test
  void theNodePullLoopAppliesEachClaimOnce() throws Exception {
    try (TestCluster cluster = TestCluster.start(1, GrantTesting.delivery("pull"))) {
      RavenNode node = cluster.node(0);
      try (Example puller = Example.start(Map.of("RAVEN_URL", "http://127.0.0.1:" + node.adminPort(),
          "RAVEN_SERVICE_TOKEN", TestTokens.service()), "examples/grants/pull.js")) {
        appliedOnce(node, puller);
      }
    }
  }

  @Test
  void theDocsShowTheExamplesThatRun() throws IOException {
    String doc = Files.readString(Path.of("docs/grants.md"));
    for (String example : List.of("examples/grants/receiver.js", "examples/grants/pull.js")) {
      assertThat(doc).as("docs/grants.md shows %s as it is", example).contains(Files.readString(Path.of(example)));
    }
  }

  /** Two claims of one player reach the example; it applied each once, in order, with its attachments. */
  private static void appliedOnce(RavenNode node, Example example) {
    long uid = TestEnv.randomUid();
    List<String> ids = List.of(claimed(node, uid, 3), claimed(node, uid, 4));
    Poll.until("both grants applied by the example", 30_000, () -> example.applied(uid).size() >= 2);
    List<JsonObject> applied = example.applied(uid);
    assertThat(applied.stream().map(l -> l.getString("applied")).toList()).isEqualTo(ids);
    assertThat(applied.get(1).getJsonArray("attachments").getJsonObject(0).getLong("amount")).isEqualTo(4L);
  }

  /** A Node example running as its own process; its JSON stdout lines are kept. */
  private static final class Example implements AutoCloseable {
    final Process process;
    final List<JsonObject> lines = new CopyOnWriteArrayList<>();

    private Example(Process process) {
      this.process = process;
      Thread reader = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
            StandardCharsets.UTF_8))) {
          for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.startsWith("{")) {
              lines.add(new JsonObject(line));
            }
          }
        } catch (IOException e) {
          // the process ended
        }
      }, "example-stdout");
      reader.setDaemon(true);
      reader.start();
    }

    static Example start(Map<String, String> env, String script) throws IOException {
      ProcessBuilder pb = new ProcessBuilder("node", script).redirectError(ProcessBuilder.Redirect.INHERIT);
      pb.environment().putAll(env);
      return new Example(pb.start());
    }

    /** Grants of {@code uid} the example applied, told by their grantId: JavaScript numbers cannot hold every uid. */
    List<JsonObject> applied(long uid) {
      return lines.stream().filter(l -> l.getString("applied", "").startsWith(uid + "-")).toList();
    }

    @Override
    public void close() {
      process.destroy();
    }
  }
}
