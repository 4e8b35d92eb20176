package io.ravenpost.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.RedisClusterMode;
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
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Redis Cluster only: a claim checks the owner's lease through the copy in its registry shard. Every
 * live node has a copy in every shard. A copy lost behind the node's back (a failover that dropped
 * the newest renewal) lets a login elsewhere take the account without a kick; the owner's next
 * renewal notices the loss, and the older session is closed: one account, one session.
 */
@ExtendWith(RedisClusterMode.class)
class LeaseCopyTest {
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

  private static boolean exists(String key) {
    return Await.result(redis.exists(List.of(key))).toInteger() == 1;
  }

  @Test
  void everyRegistryShardHoldsACopyOfEveryLiveNodesLease() {
    for (RavenNode n : cluster.nodes()) {
      for (int shard = 0; shard < 32; shard++) {
        assertThat(exists(cluster.redisPrefix() + "online:{r" + shard + "}:node:" + n.nodeId()))
            .as("copy of %s in shard %d", n.nodeId(), shard).isTrue();
      }
    }
  }

  @Test
  void aLostCopyEndsWithTheOlderSessionClosed() {
    long uid = TestEnv.randomUid();
    TestClient old = TestClient.ws(cluster.node(0).wsPort());
    old.loginSync(TestTokens.player(uid));
    String copy = TestEnv.leaseCopy(cluster.redisPrefix(), uid, 1024, cluster.node(0).nodeId());
    assertThat(Await.result(redis.del(List.of(copy))).toInteger()).isEqualTo(1);

    TestClient fresh = TestClient.ws(cluster.node(1).wsPort());
    String winner = fresh.loginSync(TestTokens.player(uid)).getString("sessionId");

    assertThat(old.nextPush("session.kicked", 10 * RECONCILE_MS)).as("the older session is told").isNotNull();
    Poll.until("one session left", 10 * RECONCILE_MS,
        () -> cluster.node(0).onlineSessions(uid) + cluster.node(1).onlineSessions(uid) == 1);
    assertThat(cluster.node(1).onlineSessions(uid)).isEqualTo(1);
    assertThat(Await.result(cluster.node(0).online().lookup(uid)).sessionId()).isEqualTo(winner);
    Poll.until("the copy is back", 10_000, () -> exists(copy));
    Await.result(fresh.close());
  }
}
