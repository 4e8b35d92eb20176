package io.ravenpost.grants;

import static io.ravenpost.grants.GrantTesting.ack;
import static io.ravenpost.grants.GrantTesting.claimed;
import static io.ravenpost.grants.GrantTesting.mailId;
import static io.ravenpost.grants.GrantTesting.pull;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A game server pulls grants from any node of a two-node cluster: each grant is leased to one
 * puller at a time, comes back when its lease ends unacknowledged, is gone once acknowledged, and a
 * held pull answers as soon as a player claims.
 */
class GrantPullTest {
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, GrantTesting.delivery("pull"));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void twoPullersInParallelNeverHoldTheSameGrantAndEachUidComesInOrder() throws Exception {
    Set<String> expected = new HashSet<>();
    List<Long> uids = new ArrayList<>();
    for (int u = 0; u < 6; u++) {
      long uid = TestEnv.randomUid();
      uids.add(uid);
      for (int g = 1; g <= 3; g++) {
        expected.add(claimed(cluster.node(u % 2), uid, g));
      }
    }
    Map<String, Integer> offered = new ConcurrentHashMap<>();
    List<String> arrival = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> pullers = new ArrayList<>();
    for (RavenNode node : cluster.nodes()) {
      pullers.add(CompletableFuture.runAsync(() -> {
        long end = System.currentTimeMillis() + 30_000;
        while (!arrival.containsAll(expected) && System.currentTimeMillis() < end) {
          List<JsonObject> got = pull(node, "?limit=4&waitMs=300&leaseSeconds=30");
          got.forEach(g -> {
            offered.merge(g.getString("grantId"), 1, Integer::sum);
            arrival.add(g.getString("grantId"));
          });
          ack(node, got);
        }
      }));
    }
    CompletableFuture.allOf(pullers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    assertThat(arrival).containsAll(expected);
    expected.forEach(id -> assertThat(offered.get(id)).as("times %s was offered", id).isEqualTo(1));
    for (long uid : uids) {
      List<Long> order = arrival.stream().filter(id -> id.startsWith(uid + "-")).map(GrantTesting::mailId).toList();
      assertThat(order).as("uid %s's grants in the order they arrived", uid).isSorted().hasSize(3);
    }
  }

  @Test
  void aGrantWhoseLeaseEndsUnacknowledgedIsOfferedAgainAndNeverOnceAcknowledged() {
    RavenNode node = cluster.node(0);
    long uid = TestEnv.randomUid();
    String first = claimed(node, uid, 10);
    String second = claimed(node, uid, 20);

    JsonObject leased = Poll.until("the first grant is offered", 10_000, () -> mine(pull(node, "?leaseSeconds=4"), uid));
    assertThat(leased.getString("grantId")).isEqualTo(first);
    assertThat(leased.getJsonArray("attachments").getJsonObject(0).getLong("amount")).isEqualTo(10L);
    assertThat(mine(pull(cluster.node(1), "?leaseSeconds=30"), uid))
        .as("neither it (leased) nor the uid's next grant (waits for it) is offered").isNull();

    JsonObject again = Poll.until("offered again after its lease ends", 15_000,
        () -> mine(pull(cluster.node(1), "?leaseSeconds=30&waitMs=500"), uid));
    assertThat(again.getString("grantId")).isEqualTo(first);
    ack(cluster.node(1), List.of(again));

    JsonObject next = Poll.until("the uid's next grant once the first is acknowledged", 10_000,
        () -> mine(pull(node, "?leaseSeconds=1"), uid));
    assertThat(next.getString("grantId")).isEqualTo(second);
    ack(node, List.of(next));
    long quietUntil = System.currentTimeMillis() + 2500;
    while (System.currentTimeMillis() < quietUntil) {
      assertThat(mine(pull(node, "?waitMs=500"), uid)).as("an acknowledged grant is never offered again").isNull();
    }
  }

  @Test
  void aHeldPullAnswersWhenAPlayerClaims() throws Exception {
    RavenNode node = cluster.node(0);
    long uid = TestEnv.randomUid();
    drain(node);
    long started = System.currentTimeMillis();
    CompletableFuture<List<JsonObject>> held = CompletableFuture.supplyAsync(() -> pull(node, "?waitMs=30000"));
    Poll.until("the pull is held", 5000, () -> System.currentTimeMillis() - started > 300);
    assertThat(held).isNotDone();
    String id = claimed(cluster.node(1), uid, 7);
    List<JsonObject> got = held.get(20, TimeUnit.SECONDS);
    assertThat(System.currentTimeMillis() - started).as("answered well before waitMs").isLessThan(20_000);
    assertThat(got.stream().map(g -> g.getString("grantId"))).contains(id);
    ack(node, got);
  }

  @Test
  void badPullsAndAcksAreRefusedWithACode() {
    int port = cluster.node(0).adminPort();
    String s = TestTokens.service();
    assertThat(TestHttp.get(port, "/internal/grants?limit=0", s).errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(TestHttp.get(port, "/internal/grants?waitMs=-1", s).errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(TestHttp.post(port, "/internal/grants/ack", s, new JsonObject()).errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(TestHttp.post(port, "/internal/grants/ack", s, new JsonObject().put("grantIds",
        new JsonArray().add("not-a-grant"))).errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(TestHttp.get(port, "/internal/grants", TestTokens.player(1)).status()).isEqualTo(401);
  }

  /** Acknowledges whatever earlier tests left, so a held pull has nothing to answer at once. */
  private static void drain(RavenNode node) {
    List<JsonObject> left;
    do {
      left = pull(node, "?limit=1000&leaseSeconds=30");
      ack(node, left);
    } while (!left.isEmpty());
  }

  /** The grant of {@code uid} among those offered, or null; others belong to no test now and are left leased. */
  private static JsonObject mine(List<JsonObject> offered, long uid) {
    List<JsonObject> ours = offered.stream().filter(g -> g.getLong("uid") == uid).toList();
    assertThat(ours).as("one grant of a uid at a time").hasSizeLessThanOrEqualTo(1);
    return ours.isEmpty() ? null : ours.get(0);
  }
}
