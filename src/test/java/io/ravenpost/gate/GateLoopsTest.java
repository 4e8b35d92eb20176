package io.ravenpost.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The gate runs on several event loops sharing one port pair: sessions land on more than one
 * loop, and pushes, kicks and one-session-per-account work whichever loop a session is on.
 */
class GateLoopsTest {
  @Test
  void sessionsSpreadOverLoopsAndEverythingStillReachesThem() {
    try (TestCluster cluster = TestCluster.start(1, new JsonObject().put("gate", new JsonObject().put("eventLoops", 3)))) {
      int ws = cluster.node(0).wsPort();
      int tcp = cluster.node(0).tcpPort();
      List<TestClient> clients = new ArrayList<>();
      List<Long> uids = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        TestClient c = i % 3 == 0 ? Await.result(TestClient.connect(tcp, TestClient.Mode.TCP)) : TestClient.ws(ws);
        long uid = TestEnv.randomUid();
        c.loginSync(TestTokens.player(uid));
        clients.add(c);
        uids.add(uid);
      }
      String metrics = TestHttp.get(cluster.node(0).adminPort(), "/metrics", null).body();
      assertThat(metrics).containsPattern("raven_gate_event_loops\\{[^}]*} 3\\.0");
      Map<String, Double> perLoop = perLoop(metrics);
      assertThat(perLoop.values().stream().filter(n -> n > 0).count()).as("loops with sessions: " + perLoop)
          .isGreaterThanOrEqualTo(2);
      assertThat(perLoop.values().stream().mapToDouble(Double::doubleValue).sum()).isEqualTo(30.0);

      TestHttp.Response sent = TestHttp.post(cluster.node(0).adminPort(), "/admin/mail", TestTokens.admin(),
          new JsonObject().put("target", new JsonObject().put("type", "users").put("uids", new JsonArray(uids)))
              .put("title", "to every loop").put("body", "b"));
      assertThat(sent.status()).isEqualTo(201);
      for (TestClient c : clients) {
        assertThat(c.nextPush("mail.new", 10_000).getJsonObject("body").getJsonObject("mail").getString("title"))
            .isEqualTo("to every loop");
      }

      TestClient again = TestClient.ws(ws);
      again.loginSync(TestTokens.player(uids.get(0)));
      assertThat(clients.get(0).nextPush("session.kicked", 5000).getJsonObject("body").getString("reason"))
          .isEqualTo("LOGIN_ELSEWHERE");
      assertThat(cluster.node(0).onlineSessions(uids.get(0))).isEqualTo(1);
    }
  }

  private static Map<String, Double> perLoop(String metrics) {
    Map<String, Double> out = new TreeMap<>();
    for (String line : metrics.split("\n")) {
      if (line.startsWith("raven_gate_sessions_per_loop{")) {
        out.put(line.substring(0, line.lastIndexOf(' ')), Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
      }
    }
    return out;
  }

  @Test
  void aGracefulStopTellsEverySessionOnEveryLoopShutdownBeforeClosingIt() {
    TestCluster cluster = TestCluster.start(1, new JsonObject().put("gate", new JsonObject().put("eventLoops", 3)));
    try {
      List<TestClient> clients = new ArrayList<>();
      for (int i = 0; i < 18; i++) {
        TestClient c = i % 3 == 0 ? Await.result(TestClient.connect(cluster.node(0).tcpPort(), TestClient.Mode.TCP))
            : TestClient.ws(cluster.node(0).wsPort());
        c.loginSync(TestTokens.player(TestEnv.randomUid()));
        clients.add(c);
      }
      cluster.stop(0);
      for (int i = 0; i < clients.size(); i++) {
        JsonObject kicked = clients.get(i).nextPush("session.kicked", 10_000);
        assertThat(kicked).as("client %d was told before its connection closed", i).isNotNull();
        assertThat(kicked.getJsonObject("body").getString("reason")).isEqualTo("SHUTDOWN");
      }
    } finally {
      cluster.close();
    }
  }
}
