package io.ravenpost.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.node.NodeAddresses;
import io.ravenpost.api.online.OnlineAddresses;
import io.ravenpost.common.Errors;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Nodes dying, stopping and Redis forgetting: the registry heals and never blocks a player. */
class NodeFailureTest {
  private static final long LEASE_MS = 3000;
  private TestCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private OnlineState registry() {
    return cluster.node(0).online();
  }

  @Test
  void aKilledNodeNeverBlocksItsPlayersBeyondTheLease() {
    cluster = TestCluster.start(2);
    long uid = TestEnv.randomUid();
    TestClient doomed = TestClient.ws(cluster.node(1).wsPort());
    doomed.loginSync(TestTokens.player(uid));
    String deadNode = cluster.node(1).nodeId();

    long crashedAt = System.currentTimeMillis();
    cluster.crash(1);
    assertThat(Await.result(registry().lookup(uid)).node()).as("a crash leaves the entry behind").isEqualTo(deadNode);

    TestClient fresh = TestClient.ws(cluster.node(0).wsPort());
    JsonObject login = null;
    while (login == null) {
      try {
        login = fresh.loginSync(TestTokens.player(uid));
      } catch (RuntimeException e) {
        assertThat(Errors.codeOf(e)).isEqualTo(ErrorCode.LOGIN_CONFLICT);
        assertThat(System.currentTimeMillis() - crashedAt).as("gave up retrying").isLessThan(LEASE_MS + 5000);
      }
    }
    long took = System.currentTimeMillis() - crashedAt;
    assertThat(took).as("login after a crash within lease + 1 s").isLessThanOrEqualTo(LEASE_MS + 1000);
    Entry e = Await.result(registry().lookup(uid));
    assertThat(e.node()).isEqualTo(cluster.node(0).nodeId());
    assertThat(e.sessionId()).isEqualTo(login.getString("sessionId"));
  }

  @Test
  void gracefulStopTellsEverySessionShutdownAndReleasesTheirEntries() {
    cluster = TestCluster.start(2);
    long uid1 = TestEnv.randomUid();
    long uid2 = TestEnv.randomUid();
    TestClient a = TestClient.ws(cluster.node(1).wsPort());
    TestClient b = Await.result(TestClient.connect(cluster.node(1).tcpPort(), TestClient.Mode.TCP));
    a.loginSync(TestTokens.player(uid1));
    b.loginSync(TestTokens.player(uid2));
    String stopping = cluster.node(1).nodeId();

    cluster.stop(1);

    assertThat(a.nextPush("session.kicked", 5000).getJsonObject("body").getString("reason")).isEqualTo("SHUTDOWN");
    assertThat(b.nextPush("session.kicked", 5000).getJsonObject("body").getString("reason")).isEqualTo("SHUTDOWN");
    assertThat(a.awaitClosed(5000)).isTrue();
    assertThat(b.awaitClosed(5000)).isTrue();
    assertThat(Await.result(registry().lookup(uid1))).isNull();
    assertThat(Await.result(registry().lookup(uid2))).isNull();
    assertThat(Await.result(registry().nodeAlive(stopping))).isFalse();
  }

  @Test
  void staleSweepAnnouncesPlayersOfADeadNodeOffline() {
    cluster = TestCluster.start(2);
    long uid = TestEnv.randomUid();
    TestClient doomed = TestClient.ws(cluster.node(1).wsPort());
    doomed.loginSync(TestTokens.player(uid));
    List<JsonObject> changes = new CopyOnWriteArrayList<>();
    Await.result(cluster.node(0).context().vertx().eventBus().<JsonObject>consumer(OnlineAddresses.CHANGED.address(),
        m -> changes.add(m.body())).completion());

    cluster.crash(0 + 1);
    Poll.until("lease of the dead node expired", LEASE_MS + 2000,
        () -> !Await.result(registry().nodeAlive(doomedNode(uid))));
    Poll.until("the cluster saw the member go", 10_000, () -> cluster.node(0).context().membership().nodes().size() == 1);
    Await.result(cluster.node(0).context().vertx().eventBus().request(NodeAddresses.SCHEDULER_RUN.address(),
        new JsonObject().put("job", "stale-sessions")));

    assertThat(Await.result(registry().lookup(uid))).isNull();
    Poll.until("offline change published", 2000, () -> changes.stream()
        .anyMatch(c -> c.getLong("uid") == uid && !c.getBoolean("online")));
    assertThat(Await.result(registry().onlineMany(List.of(uid))).get(uid)).isFalse();
  }

  private String doomedNode(long uid) {
    Entry e = Await.result(registry().lookup(uid));
    return e == null ? "gone" : e.node();
  }

  @Test
  void rejectNewPolicyKeepsTheFirstSession() {
    cluster = TestCluster.start(1, new JsonObject().put("gate", new JsonObject().put("loginPolicy", "reject-new")));
    long uid = TestEnv.randomUid();
    TestClient a = TestClient.ws(cluster.node(0).wsPort());
    String first = a.loginSync(TestTokens.player(uid)).getString("sessionId");
    TestClient b = TestClient.ws(cluster.node(0).wsPort());
    assertThat(b.errorOf("auth.login", new JsonObject().put("token", TestTokens.player(uid))))
        .isEqualTo(ErrorCode.LOGIN_CONFLICT);
    assertThat(a.nextPush("session.kicked", 300)).isNull();
    assertThat(Await.result(registry().lookup(uid)).sessionId()).isEqualTo(first);
  }

  @Test
  void redisLosingTheRegistryIsHealedByTheOwningNode() {
    cluster = TestCluster.start(1);
    long uid = TestEnv.randomUid();
    TestClient a = TestClient.ws(cluster.node(0).wsPort());
    String session = a.loginSync(TestTokens.player(uid)).getString("sessionId");
    var redis = cluster.node(0).context().redis();
    String prefix = cluster.redisPrefix();
    // What a FLUSHALL does to this cluster's keys, without touching other tests' keys.
    List<String> keys = Await.result(redis.keys(prefix + "*")).stream().map(Object::toString).toList();
    Await.result(redis.del(keys));
    assertThat(Await.result(registry().lookup(uid))).isNull();

    Poll.until("entry re-asserted after the lease was found gone", 5000,
        () -> Await.result(registry().lookup(uid)) != null);
    assertThat(Await.result(registry().lookup(uid)).sessionId()).isEqualTo(session);
    TestClient b = TestClient.ws(cluster.node(0).wsPort());
    b.loginSync(TestTokens.player(uid));
    assertThat(a.nextPush("session.kicked", 5000)).isNotNull();
  }
}
