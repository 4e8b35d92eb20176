package io.ravenpost.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.common.Errors;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A login storm of one account over three nodes, and one of the nodes is killed in the middle of
 * it. Whatever interleaving happens, the account ends with at most one live session, the registry
 * names it, and if the last winner died with its node the player can log in again within a lease.
 */
class StormWithNodeDeathTest {
  private static final int CLIENTS = 120;

  @Test
  void aNodeDyingMidStormNeverLeavesTwoLiveSessions() throws InterruptedException {
    try (TestCluster cluster = TestCluster.start(3)) {
      long uid = TestEnv.randomUid();
      String token = TestTokens.player(uid);
      List<Future<TestClient>> connects = new ArrayList<>();
      for (int i = 0; i < CLIENTS; i++) {
        connects.add(TestClient.connect(cluster.node(i % 3).wsPort(), TestClient.Mode.WS_MSGPACK));
      }
      List<TestClient> clients = Await.result(Future.all(connects).map(cf -> cf.<TestClient>list()), 30_000);
      List<Future<JsonObject>> logins = new ArrayList<>();
      for (TestClient c : clients) {
        logins.add(c.login(token));
      }
      Thread.sleep(ThreadLocalRandom.current().nextInt(5, 60));
      cluster.crash(2);
      Await.result(Future.join(logins).recover(t -> Future.succeededFuture()), 60_000);

      for (Future<JsonObject> f : logins) {
        if (f.failed() && !(f.cause() instanceof TestClient.ConnectionClosed)) {
          assertThat(Errors.codeOf(f.cause())).isIn(ErrorCode.LOGIN_CONFLICT, ErrorCode.UNAVAILABLE);
        }
      }
      // Winners but the last are being kicked; clients of the dead node lose their connection.
      Poll.until("at most one client still open and logged in", 15_000,
          () -> TestClient.openAndLoggedIn(clients, logins).size() <= 1);
      List<RavenNode> alive = cluster.nodes();
      List<Integer> survivors = TestClient.openAndLoggedIn(clients, logins);
      long liveOnAlive = alive.stream().mapToLong(n -> n.onlineSessions(uid)).sum();
      assertThat(liveOnAlive).as("live sessions on the surviving nodes").isLessThanOrEqualTo(1);
      OnlineState registry = alive.get(0).online();
      if (survivors.size() == 1) {
        String session = logins.get(survivors.get(0)).result().getString("sessionId");
        assertThat(Await.result(registry.lookup(uid)).sessionId()).isEqualTo(session);
        assertThat(liveOnAlive).isEqualTo(1);
      } else {
        // The last winner died with its node: its entry is stale, and must not block a new login.
        TestClient again = TestClient.ws(alive.get(0).wsPort());
        Poll.until("the player logs in again once the dead node's lease ran out", 15_000,
            () -> Await.result(again.request("auth.login", new JsonObject().put("token", token))).getBoolean("ok"));
        again.close();
      }
      clients.forEach(TestClient::close);
    }
  }
}
