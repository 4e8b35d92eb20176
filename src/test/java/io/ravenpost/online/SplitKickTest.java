package io.ravenpost.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two nodes that share Redis but not an event bus: what a partition or a split that has not merged
 * yet looks like to a login. The kick must go through Redis, so the new login wins at once and the
 * old session is closed, instead of LOGIN_CONFLICT until the halves merge.
 */
class SplitKickTest {
  private TestCluster left;
  private TestCluster right;

  @AfterEach
  void stop() {
    if (right != null) {
      right.close();
    }
    if (left != null) {
      left.close();
    }
  }

  @Test
  void aLoginKicksASessionOnANodeTheEventBusCannotReach() {
    left = TestCluster.start(1);
    right = TestCluster.start(1, new JsonObject().put("redis", new JsonObject().put("prefix", left.redisPrefix())));
    long uid = TestEnv.randomUid();
    TestClient old = TestClient.ws(right.node(0).wsPort());
    old.loginSync(TestTokens.player(uid));

    TestClient fresh = TestClient.ws(left.node(0).wsPort());
    long t0 = System.currentTimeMillis();
    JsonObject login = fresh.loginSync(TestTokens.player(uid));
    long took = System.currentTimeMillis() - t0;

    assertThat(old.nextPush("session.kicked", 5000).getJsonObject("body").getString("reason"))
        .isEqualTo("LOGIN_ELSEWHERE");
    assertThat(old.awaitClosed(5000)).isTrue();
    assertThat(took).as("the kick through Redis is taken at once, well before the old node's lease could run out")
        .isLessThan(2500);
    Entry e = Await.result(left.node(0).online().lookup(uid));
    assertThat(e.sessionId()).isEqualTo(login.getString("sessionId"));
    assertThat(right.node(0).onlineSessions(uid)).isZero();
    assertThat(left.node(0).onlineSessions(uid)).isEqualTo(1);
  }
}
