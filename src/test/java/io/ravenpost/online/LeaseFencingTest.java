package io.ravenpost.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TcpProxy;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * One node loses Redis while the rest of the cluster keeps it (a partition). Its lease will run
 * out and the others will let its players log in elsewhere, so it must close its sessions first:
 * at no moment may a player hold a live session on it and another one elsewhere.
 */
class LeaseFencingTest {
  @Test
  void aNodeCutOffFromRedisClosesItsSessionsBeforeItsPlayersCanLogInElsewhere() {
    URI redis = URI.create(TestEnv.redisUri());
    try (TcpProxy proxy = TcpProxy.to(redis.getHost(), redis.getPort());
         TestCluster cluster = TestCluster.start(1, new JsonObject()
             .put("redis", new JsonObject().put("uri", "redis://127.0.0.1:" + proxy.port() + redis.getPath())))) {
      RavenNode cutOff = cluster.node(0);
      RavenNode other = cluster.addNode(new JsonObject().put("redis", new JsonObject().put("uri", TestEnv.redisUri())));
      long uid = TestEnv.randomUid();
      TestClient first = TestClient.ws(cutOff.wsPort());
      first.loginSync(TestTokens.player(uid));

      proxy.cut();

      JsonObject kicked = first.nextPush("session.kicked", 10_000);
      assertThat(kicked).as("the cut-off node closes its sessions").isNotNull();
      assertThat(kicked.getJsonObject("body").getString("reason")).isEqualTo("SHUTDOWN");
      assertThat(first.awaitClosed(5000)).isTrue();
      TestClient refused = TestClient.ws(cutOff.wsPort());
      assertThat(refused.errorOf("auth.login", new JsonObject().put("token", TestTokens.player(uid + 1))))
          .isEqualTo(ErrorCode.UNAVAILABLE);

      // The player reconnects elsewhere; that succeeds once the cut-off node's lease ran out, and
      // every attempt checks that the first session was already closed when it was made.
      AtomicReference<TestClient> second = new AtomicReference<>();
      Poll.until("the player logs in on the other node", 20_000, () -> {
        boolean firstClosed = first.isClosed();
        TestClient c = TestClient.ws(other.wsPort());
        JsonObject r = Await.result(c.request("auth.login", new JsonObject().put("token", TestTokens.player(uid))));
        if (!r.getBoolean("ok")) {
          c.close();
          return false;
        }
        assertThat(firstClosed).as("two live sessions of one account").isTrue();
        second.set(c);
        return true;
      });

      proxy.restore();

      Poll.until("the cut-off node renews its lease and takes logins again", 20_000, () -> {
        TestClient c = TestClient.ws(cutOff.wsPort());
        boolean ok = Await.result(c.request("auth.login", new JsonObject().put("token", TestTokens.player(uid + 2))))
            .getBoolean("ok");
        c.close();
        return ok;
      });
      TestClient third = TestClient.ws(cutOff.wsPort());
      third.loginSync(TestTokens.player(uid));
      JsonObject elsewhere = second.get().nextPush("session.kicked", 5000);
      assertThat(elsewhere).as("one session per account after the partition healed").isNotNull();
      assertThat(elsewhere.getJsonObject("body").getString("reason")).isEqualTo("LOGIN_ELSEWHERE");
      refused.close();
      third.close();
    }
  }

  @Test
  void aRenewalAnsweredLongAfterACutNeverFencesTheHealedNode() {
    URI redis = URI.create(TestEnv.redisUri());
    try (TcpProxy proxy = TcpProxy.to(redis.getHost(), redis.getPort());
         TestCluster cluster = TestCluster.start(1, new JsonObject()
             .put("redis", new JsonObject().put("uri", "redis://127.0.0.1:" + proxy.port() + redis.getPath())))) {
      RavenNode node = cluster.node(0);
      TestClient before = TestClient.ws(node.wsPort());
      before.loginSync(TestTokens.player(TestEnv.randomUid()));

      proxy.stall();
      assertThat(before.nextPush("session.kicked", 10_000)).as("fenced during the cut").isNotNull();
      proxy.heal(4000);

      long uid = TestEnv.randomUid();
      AtomicReference<TestClient> after = new AtomicReference<>();
      Poll.until("the healed node takes logins again", 20_000, () -> {
        TestClient c = TestClient.ws(node.wsPort());
        if (Await.result(c.request("auth.login", new JsonObject().put("token", TestTokens.player(uid))))
            .getBoolean("ok")) {
          after.set(c);
          return true;
        }
        c.close();
        return false;
      });
      // Past the moment the renewals stuck in the cut are finally answered.
      long until = System.currentTimeMillis() + 6000;
      while (System.currentTimeMillis() < until) {
        assertThat(after.get().callSync("heartbeat", new JsonObject()).containsKey("serverTime")).isTrue();
        assertThat(after.get().nextPush("session.kicked", 300)).as("a healthy node fenced again").isNull();
      }
      after.get().close();
    }
  }
}
