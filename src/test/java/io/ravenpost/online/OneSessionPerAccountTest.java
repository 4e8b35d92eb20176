package io.ravenpost.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/** The online-state design on three real clustered nodes: one account, one live session, whatever the interleaving. */
class OneSessionPerAccountTest {
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(3);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static TestClient client(int node) {
    return TestClient.ws(cluster.node(node).wsPort());
  }

  private static Entry entry(long uid) {
    return Await.result(cluster.node(0).online().lookup(uid));
  }

  private static long liveSessions(long uid) {
    return cluster.nodes().stream().mapToLong(n -> n.onlineSessions(uid)).sum();
  }

  @Test
  void loginOnAnotherNodeKicksTheOldSession() {
    long uid = TestEnv.randomUid();
    TestClient a = client(0);
    JsonObject first = a.loginSync(TestTokens.player(uid));
    assertThat(entry(uid).node()).isEqualTo(cluster.node(0).nodeId());

    TestClient b = client(1);
    JsonObject second = b.loginSync(TestTokens.player(uid));

    JsonObject kicked = a.nextPush("session.kicked", 5000);
    assertThat(kicked).isNotNull();
    assertThat(kicked.getJsonObject("body").getString("reason")).isEqualTo("LOGIN_ELSEWHERE");
    assertThat(a.awaitClosed(5000)).isTrue();
    assertThat(b.callSync("heartbeat", new JsonObject()).getLong("serverTime")).isPositive();
    Entry e = entry(uid);
    assertThat(e.node()).isEqualTo(cluster.node(1).nodeId());
    assertThat(e.sessionId()).isEqualTo(second.getString("sessionId")).isNotEqualTo(first.getString("sessionId"));
    assertThat(liveSessions(uid)).isEqualTo(1);
  }

  @Test
  void sameNodeDuplicateLoginTakesTheSamePath() {
    long uid = TestEnv.randomUid();
    TestClient a = client(2);
    a.loginSync(TestTokens.player(uid));
    TestClient b = client(2);
    JsonObject second = b.loginSync(TestTokens.player(uid));
    assertThat(a.nextPush("session.kicked", 5000).getJsonObject("body").getString("reason"))
        .isEqualTo("LOGIN_ELSEWHERE");
    assertThat(a.awaitClosed(5000)).isTrue();
    assertThat(entry(uid).sessionId()).isEqualTo(second.getString("sessionId"));
    assertThat(cluster.node(2).onlineSessions(uid)).isEqualTo(1);
  }

  /** 200 logins of one uid at once over three nodes: every time exactly one survives, and it owns the entry. */
  @RepeatedTest(3)
  void concurrentLoginStormLeavesExactlyOneSession() {
    long uid = TestEnv.randomUid();
    String token = TestTokens.player(uid);
    List<Future<TestClient>> connects = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      RavenNode n = cluster.node(i % 3);
      connects.add(TestClient.connect(n.wsPort(), i % 2 == 0 ? TestClient.Mode.WS_JSON : TestClient.Mode.WS_MSGPACK));
    }
    List<TestClient> clients = Await.result(Future.all(connects).map(cf -> cf.<TestClient>list()), 30_000);
    List<Future<JsonObject>> logins = new ArrayList<>();
    for (TestClient c : clients) {
      logins.add(c.login(token));
    }
    Await.result(Future.join(logins).recover(t -> Future.succeededFuture()), 60_000);

    int ok = 0;
    for (Future<JsonObject> f : logins) {
      if (f.succeeded()) {
        ok++;
      } else {
        // Either refused, or kicked by a newer login before its own reply could be written.
        if (!(f.cause() instanceof TestClient.ConnectionClosed)) {
          assertThat(io.ravenpost.common.Errors.codeOf(f.cause())).isEqualTo(ErrorCode.LOGIN_CONFLICT);
        }
      }
    }
    assertThat(ok).as("at least one login succeeds").isPositive();
    // Every winner but the last is being kicked; wait until the kicks have landed.
    Poll.until("only one client still open and logged in", 10_000,
        () -> TestClient.openAndLoggedIn(clients, logins).size() <= 1);
    List<Integer> survivors = TestClient.openAndLoggedIn(clients, logins);
    assertThat(survivors).hasSize(1);
    String survivorSession = logins.get(survivors.get(0)).result().getString("sessionId");
    Entry e = entry(uid);
    assertThat(e).isNotNull();
    assertThat(e.sessionId()).isEqualTo(survivorSession);
    assertThat(liveSessions(uid)).isEqualTo(1);
    assertThat(clients.get(survivors.get(0)).callSync("heartbeat", new JsonObject()).getLong("serverTime")).isPositive();
    clients.forEach(TestClient::close);
  }

  @Test
  void aLateReleaseOfAnEntryNeverRemovesTheOneTheSameSessionClaimedAfterIt() {
    long uid = TestEnv.randomUid();
    OnlineState registry = cluster.node(0).online();
    String node = cluster.node(0).nodeId();
    Entry first = Await.result(registry.tryClaim(uid, node, "same-connection")).mine();
    assertThat(Await.result(registry.release(uid, node, "same-connection", first.epoch()))).isTrue();
    Entry second = Await.result(registry.tryClaim(uid, node, "same-connection")).mine();
    assertThat(second.epoch()).isGreaterThan(first.epoch());
    assertThat(Await.result(registry.release(uid, node, "same-connection", first.epoch())))
        .as("the first claim's release, arriving late").isFalse();
    assertThat(entry(uid).epoch()).isEqualTo(second.epoch());
    assertThat(Await.result(registry.release(uid, node, "same-connection", second.epoch()))).isTrue();
  }

  @Test
  void disconnectRemovesTheEntryAndALateCloseNeverRemovesANewerOne() {
    long uid = TestEnv.randomUid();
    TestClient a = client(0);
    String oldSession = a.loginSync(TestTokens.player(uid)).getString("sessionId");
    TestClient b = client(1);
    String newSession = b.loginSync(TestTokens.player(uid)).getString("sessionId");
    assertThat(a.awaitClosed(5000)).isTrue();

    OnlineState registry = cluster.node(0).online();
    assertThat(Await.result(registry.release(uid, cluster.node(0).nodeId(), oldSession, 0))).isFalse();
    assertThat(entry(uid).sessionId()).isEqualTo(newSession);

    Await.result(b.close());
    Poll.until("entry removed after disconnect", 5000, () -> entry(uid) == null);
    assertThat(liveSessions(uid)).isZero();
  }

  @Test
  void adminKickClosesTheSessionWithReasonAdmin() {
    long uid = TestEnv.randomUid();
    TestClient a = client(1);
    a.loginSync(TestTokens.player(uid));
    var r = io.ravenpost.testkit.TestHttp.post(cluster.node(2).adminPort(), "/admin/users/" + uid + "/kick",
        TestTokens.admin(), null);
    assertThat(r.status()).isEqualTo(204);
    assertThat(a.nextPush("session.kicked", 5000).getJsonObject("body").getString("reason")).isEqualTo("ADMIN");
    assertThat(a.awaitClosed(5000)).isTrue();
    Poll.until("entry removed after kick", 5000, () -> entry(uid) == null);
  }

  @Test
  void perConnectionRateLimit() {
    TestClient c = client(0);
    c.loginSync(TestTokens.player(TestEnv.randomUid()));
    List<Future<JsonObject>> beats = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      beats.add(c.request("heartbeat", new JsonObject()));
    }
    List<JsonObject> replies = Await.result(Future.all(beats).map(cf -> cf.<JsonObject>list()));
    long limited = replies.stream().filter(r -> !r.getBoolean("ok")
        && "RATE_LIMITED".equals(r.getJsonObject("error").getString("code"))).count();
    assertThat(limited).isGreaterThan(0);
    assertThat(replies.stream().filter(r -> r.getBoolean("ok")).count()).isGreaterThan(0);
  }
}
