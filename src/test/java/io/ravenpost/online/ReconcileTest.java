package io.ravenpost.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Redis losing one registry entry while the node's lease survives (an eviction, a failover that
 * dropped recent writes): the node puts the entry back, and if a login elsewhere took the account
 * meanwhile (HSETNX over the gap, no kick), the older session is closed. One account, one session.
 */
class ReconcileTest {
  private static final long RECONCILE_MS = 500;
  static TestCluster cluster;
  static Redis client;
  static RedisAPI redis;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, new JsonObject().put("online", new JsonObject().put("reconcileMs", RECONCILE_MS)));
    client = TestEnv.redisClient();
    redis = RedisAPI.api(client);
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  /** Deletes the uid's registry entry behind the nodes' backs. */
  private static void lose(long uid) {
    String bucket = TestEnv.registryBucket(cluster.redisPrefix(), uid, 1024);
    assertThat(Await.result(redis.hdel(List.of(bucket, Long.toString(uid)))).toInteger()).isEqualTo(1);
  }

  private static Entry entry(long uid) {
    return Await.result(cluster.node(0).online().lookup(uid));
  }

  @Test
  void aLostEntryIsClaimedBackByItsSession() {
    long uid = TestEnv.randomUid();
    TestClient c = TestClient.ws(cluster.node(0).wsPort());
    String session = c.loginSync(TestTokens.player(uid)).getString("sessionId");
    lose(uid);
    assertThat(entry(uid)).isNull();

    Poll.until("the entry is back", 10 * RECONCILE_MS, () -> entry(uid) != null);
    assertThat(entry(uid).sessionId()).isEqualTo(session);
    assertThat(c.isClosed()).isFalse();
    assertThat(c.callSync("heartbeat", new JsonObject()).containsKey("serverTime")).isTrue();
    Await.result(c.close());
  }

  @Test
  void aLoginThatWonOverALostEntryClosesTheOlderSession() {
    long uid = TestEnv.randomUid();
    TestClient old = TestClient.ws(cluster.node(0).wsPort());
    old.loginSync(TestTokens.player(uid));
    lose(uid);
    TestClient fresh = TestClient.ws(cluster.node(1).wsPort());
    String winner = fresh.loginSync(TestTokens.player(uid)).getString("sessionId");

    assertThat(old.nextPush("session.kicked", 10 * RECONCILE_MS)).as("the older session is told").isNotNull();
    Poll.until("one session left", 10 * RECONCILE_MS,
        () -> cluster.node(0).onlineSessions(uid) + cluster.node(1).onlineSessions(uid) == 1);
    assertThat(cluster.node(1).onlineSessions(uid)).isEqualTo(1);
    assertThat(entry(uid).sessionId()).isEqualTo(winner);
    Await.result(fresh.close());
  }
}
