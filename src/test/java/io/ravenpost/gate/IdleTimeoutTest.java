package io.ravenpost.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.online.OnlineState;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** A silent connection is closed after the idle limit and its registry entry released; heartbeats keep one open. */
class IdleTimeoutTest {
  @Test
  void silentConnectionsAreClosedHeartbeatingOnesAreNot() {
    try (TestCluster cluster = TestCluster.start(1, new JsonObject().put("gate", new JsonObject().put("idleTimeoutSeconds", 2)))) {
      long silentUid = TestEnv.randomUid();
      TestClient silent = TestClient.ws(cluster.node(0).wsPort());
      silent.loginSync(TestTokens.player(silentUid));
      TestClient chatty = TestClient.ws(cluster.node(0).wsPort());
      chatty.loginSync(TestTokens.player(TestEnv.randomUid()));
      long start = System.currentTimeMillis();
      while (System.currentTimeMillis() - start < 4000) {
        chatty.callSync("heartbeat", new JsonObject());
        Await.result(TestClient.vertx().timer(500));
      }
      assertThat(silent.awaitClosed(1000)).isTrue();
      assertThat(chatty.isClosed()).isFalse();
      OnlineState registry = cluster.node(0).online();
      Poll.until("silent session's entry released", 3000, () -> Await.result(registry.lookup(silentUid)) == null);
    }
  }
}
