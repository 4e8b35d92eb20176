package io.ravenpost.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.online.OnlineAddresses;
import io.ravenpost.api.online.OnlineChanged;
import io.ravenpost.online.OnlineState;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.BusEvents;
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
      BusEvents<OnlineChanged> changes = BusEvents.on(cluster.node(0).context().vertx(), OnlineAddresses.CHANGED);
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
      changes.await("the silent player announced offline", 3000, e -> e.uid() == silentUid && !e.online());
      changes.close();
      OnlineState registry = cluster.node(0).online();
      assertThat(Await.result(registry.lookup(silentUid))).as("silent session's registry entry").isNull();
    }
  }
}
