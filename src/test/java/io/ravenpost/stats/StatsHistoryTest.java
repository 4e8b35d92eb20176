package io.ravenpost.stats;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.global.GlobalTesting;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /admin/stats/history} answers for the whole cluster from any node: two nodes sample
 * every 200 ms, a player logs in on the second, and the first node's answer shows both nodes with
 * the session and the login on the second only, oldest sample first.
 */
class StatsHistoryTest {
  @Test
  void anyNodeAnswersWithEveryNodesSessionsAndLogins() {
    try (TestCluster cluster = TestCluster.start(2,
        new JsonObject().put("stats", new JsonObject().put("historySampleMs", 200).put("historyPoints", 300)))) {
      RavenNode first = cluster.node(0);
      RavenNode second = cluster.node(1);
      TestClient player = GlobalTesting.login(second, TestTokens.player(TestEnv.randomUid()));
      try {
        Poll.until("both nodes sampled, the second with its player's session and login", 15_000, () -> {
          JsonObject nodes = history(first);
          JsonObject a = nodes.getJsonObject(first.nodeId());
          JsonObject b = nodes.getJsonObject(second.nodeId());
          return a != null && b != null && last(a, "sessions") == 0 && last(b, "sessions") == 1
              && b.getJsonArray("loginsPerSec").stream().anyMatch(v -> ((Number) v).doubleValue() > 0)
              && a.getJsonArray("loginsPerSec").stream().allMatch(v -> ((Number) v).doubleValue() == 0);
        });
        JsonArray t = history(second).getJsonObject(first.nodeId()).getJsonArray("t");
        assertThat(t.getLong(0)).as("oldest first").isLessThan(t.getLong(t.size() - 1));
      } finally {
        player.close();
      }
    }
  }

  private static long last(JsonObject series, String field) {
    JsonArray a = series.getJsonArray(field);
    return a.isEmpty() ? -1 : a.getLong(a.size() - 1);
  }

  private static JsonObject history(RavenNode node) {
    TestHttp.Response r = TestHttp.get(node.adminPort(), "/admin/stats/history", TestTokens.admin());
    assertThat(r.status()).isEqualTo(200);
    return r.json().getJsonObject("nodes");
  }
}
