package io.ravenpost.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The mail role's requests run on {@code mail.eventLoops} event loops: a node's mail
 * ops land on more than one of them (counted per loop in {@code raven_mail_requests_total}), and
 * every one is answered.
 */
class MailLoopsTest {
  private static final Pattern PER_LOOP = Pattern.compile("raven_mail_requests_total\\{[^}]*loop=\"(\\d+)\"[^}]*} (\\S+)");

  @Test
  void requestsSpreadOverTheMailLoopsAndAreAllAnswered() {
    try (TestCluster cluster = TestCluster.start(1, new JsonObject().put("mail", new JsonObject().put("eventLoops", 3))
        .put("gate", new JsonObject().put("opsPerSecond", 10_000).put("opsBurst", 10_000)))) {
      List<TestClient> clients = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        TestClient c = TestClient.ws(cluster.node(0).wsPort());
        c.loginSync(TestTokens.player(TestEnv.randomUid()));
        clients.add(c);
      }
      for (TestClient c : clients) {
        for (int i = 0; i < 3; i++) {
          assertThat(c.callSync("mail.unread", new JsonObject()).getLong("unread")).isZero();
        }
      }
      Map<String, Double> perLoop = perLoop(TestHttp.get(cluster.node(0).adminPort(), "/metrics", null).body());
      assertThat(perLoop.keySet()).as("one counter per mail loop").containsExactlyInAnyOrder("0", "1", "2");
      assertThat(perLoop.values().stream().filter(n -> n > 0).count()).as("loops that took requests: " + perLoop)
          .isGreaterThanOrEqualTo(2);
      assertThat(perLoop.values().stream().mapToDouble(Double::doubleValue).sum())
          .as("90 mail.unread at least (a login on a mail node is answered in place, not on these loops)")
          .isGreaterThanOrEqualTo(90.0);
      clients.forEach(TestClient::close);
    }
  }

  private static Map<String, Double> perLoop(String metrics) {
    Map<String, Double> out = new TreeMap<>();
    Matcher m = PER_LOOP.matcher(metrics);
    while (m.find()) {
      out.put(m.group(1), Double.parseDouble(m.group(2)));
    }
    return out;
  }
}
