package io.ravenpost.online;

import static io.ravenpost.online.WatchKit.held;
import static io.ravenpost.online.WatchKit.outcomes;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Friends' online state as a long poll, on two real nodes: node 0 holds the watches (online
 * role) and has a gate; node 1 is another gate, where friends log in and out.
 */
class PresenceWatchTest {
  static TestCluster cluster;
  static RavenNode holder;
  static RavenNode other;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(0, new JsonObject()
        .put("watch", new JsonObject().put("maxWaitMs", 5000).put("defaultWaitMs", 5000))
        .put("scheduler", new JsonObject().put("staleWatchesMs", 600_000)));
    holder = cluster.addNode(WatchKit.roles("online", "gate", "admin", "scheduler"));
    other = cluster.addNode(WatchKit.roles("gate", "admin"));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static TestClient login(RavenNode node, long uid) {
    TestClient c = TestClient.ws(node.wsPort());
    c.loginSync(TestTokens.player(uid));
    return c;
  }

  private static Future<JsonObject> watch(TestClient c, JsonObject body) {
    return c.call("presence.watch", body);
  }

  private static JsonObject known(Object... uidAndState) {
    JsonObject k = new JsonObject();
    for (int i = 0; i < uidAndState.length; i += 2) {
      k.put(uidAndState[i].toString(), uidAndState[i + 1]);
    }
    return k;
  }

  private static JsonArray uids(long... uids) {
    JsonArray a = new JsonArray();
    for (long u : uids) {
      a.add(u);
    }
    return a;
  }

  /** The latency bound, out of the default run: a shared 2-core box can stall any one request. */
  @Test
  @Tag("timing")
  void aFriendsLoginOnAnotherNodeWakesTheWatchWithin100Ms() {
    TestClient me = login(holder, TestEnv.randomUid());
    friendLogsIn(me, TestEnv.randomUid(), TestEnv.randomUid());
    assertThat(lastAnswerMs).as("ms from the friend's login to the answer").isLessThanOrEqualTo(100);
    Await.result(me.close());
  }

  private static long lastAnswerMs;

  /** {@code me} watches two friends; f1 logs in on the other node: the watch answers with just f1. */
  private static TestClient friendLogsIn(TestClient me, long f1, long f2) {
    Future<JsonObject> w = watch(me, WatchKit.presence(uids(f1, f2), known(f1, false, f2, false), 5000));
    heldIs(1);
    WatchKit.sleep(300);
    assertThat(w.isComplete()).as("answered while nobody changed").isFalse();
    TestClient friend = login(other, f1);
    long loggedIn = System.nanoTime();
    JsonObject online = Await.result(w, 2000);
    lastAnswerMs = (System.nanoTime() - loggedIn) / 1_000_000;
    System.out.println("presence watch answered " + lastAnswerMs + " ms after the friend's login on the other node returned");
    assertThat(online.getJsonObject("online")).isEqualTo(known(f1, true));
    return friend;
  }

  private static void heldIs(int n) {
    Poll.until("node 0 holds " + n + " presence watches", 5000, () -> held(holder, "presence") == n);
  }

  @Test
  void aFriendLoggingInAndOutOnAnotherNodeWakesTheWatchWithJustThatFriend() {
    long f1 = TestEnv.randomUid();
    long f2 = TestEnv.randomUid();
    TestClient me = login(holder, TestEnv.randomUid());
    TestClient friend = friendLogsIn(me, f1, f2);

    Future<JsonObject> again = watch(me, WatchKit.presence(uids(f1, f2), known(f1, true, f2, false), 5000));
    heldIs(1);
    Await.result(friend.close());
    assertThat(Await.result(again, 2000).getJsonObject("online")).isEqualTo(known(f1, false));
    heldIs(0);
    Await.result(me.close());
  }

  @Test
  void whatAlreadyDiffersIsAnsweredAtOnceAndUnknownUidsAlwaysDiffer() {
    long on = TestEnv.randomUid();
    long off = TestEnv.randomUid();
    TestClient friend = login(other, on);
    TestClient me = login(other, TestEnv.randomUid());
    assertThat(Await.result(watch(me, WatchKit.presence(uids(on, off), known(on, false), 5000)), 2000)
        .getJsonObject("online")).isEqualTo(known(on, true, off, false));
    assertThat(Await.result(watch(me, WatchKit.presence(uids(on, off), known(on, true, off, false), 0)), 2000)
        .getJsonObject("online")).isEmpty();
    assertThat(Await.result(watch(me, WatchKit.presence(uids(on, off), known(on, true, off, false), 200)), 3000)
        .getJsonObject("online")).as("nothing changed within the wait").isEmpty();
    heldIs(0);
    Await.result(friend.close());
    Await.result(me.close());
  }

  @Test
  void overTcpAndMsgpackTheAnswerIsTheSame() {
    long off = TestEnv.randomUid();
    TestClient me = Await.result(TestClient.connect(other.tcpPort(), TestClient.Mode.TCP));
    me.loginSync(TestTokens.player(TestEnv.randomUid()));
    assertThat(Await.result(watch(me, new JsonObject().put("uids", uids(off))), 2000).getJsonObject("online"))
        .isEqualTo(known(off, false));
    Await.result(me.close());
  }

  @Test
  void aNewWatchOfTheSameSessionAnswersTheOldOneAndClosingTheSessionFreesIt() {
    long f = TestEnv.randomUid();
    TestClient me = login(other, TestEnv.randomUid());
    TestClient alsoMe = login(holder, TestEnv.randomUid());
    Future<JsonObject> first = watch(me, WatchKit.presence(uids(f), known(f, false), 5000));
    Future<JsonObject> neighbour = watch(alsoMe, WatchKit.presence(uids(f), known(f, false), 5000));
    heldIs(2);
    Future<JsonObject> second = watch(me, WatchKit.presence(uids(f), known(f, false), 5000));
    assertThat(Await.result(first, 2000).getJsonObject("online")).isEmpty();
    heldIs(2);
    assertThat(second.isComplete() || neighbour.isComplete()).isFalse();

    double goneBefore = outcomes(holder, "presence", "gone");
    Await.result(me.close());
    heldIs(1);
    WatchKit.countedOnce(holder, "presence", "gone", goneBefore);
    Await.result(alsoMe.close());
    heldIs(0);
  }

  @Test
  void theSweepDropsWatchesOfSessionsThatNoLongerOwnTheirEntry() {
    long uid = TestEnv.randomUid();
    TestClient me = login(other, uid);
    long friend = TestEnv.randomUid();
    Future<JsonObject> w = watch(me, WatchKit.presence(uids(friend), known(friend, false), 5000));
    heldIs(1);
    // The entry vanishes without a change event (as if its release was lost): only the sweep can tell.
    int buckets = holder.context().config().online().buckets();
    Await.result(holder.context().redis().hdel(List.of(
        TestEnv.registryBucket(cluster.redisPrefix(), uid, buckets), Long.toString(uid))));
    Await.result(WatchKit.request(other, "raven.scheduler.run", new JsonObject().put("job", "stale-watches"), 5000));
    heldIs(0);
    assertThat(((RavenException) Await.failure(w)).code()).isEqualTo(ErrorCode.UNAVAILABLE);
    Await.result(me.close());
  }

  @Test
  void malformedWatchesAreBadRequests() {
    TestClient me = login(other, TestEnv.randomUid());
    JsonArray tooMany = new JsonArray();
    for (int i = 1; i <= 201; i++) {
      tooMany.add(i);
    }
    List<JsonObject> bad = List.of(
        new JsonObject(),
        new JsonObject().put("uids", new JsonArray()),
        new JsonObject().put("uids", tooMany),
        new JsonObject().put("uids", new JsonArray().add("abc")),
        new JsonObject().put("uids", new JsonArray().add(1.5)),
        new JsonObject().put("uids", "1,2"),
        new JsonObject().put("uids", uids(1)).put("known", new JsonArray().add(true)),
        new JsonObject().put("uids", uids(1)).put("known", known(1, "yes")),
        new JsonObject().put("uids", uids(1)).put("known", known("x1", true)),
        new JsonObject().put("uids", uids(1)).put("waitMs", -1));
    for (JsonObject body : bad) {
      assertThat(me.errorOf("presence.watch", body)).as(body.encode()).isEqualTo(ErrorCode.BAD_REQUEST);
    }
    String path = "/internal/presence?uids=";
    int port = other.adminPort();
    assertThat(TestHttp.get(port, "/internal/presence", TestTokens.service()).errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(TestHttp.get(port, path + "1,a", TestTokens.service()).errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(TestHttp.get(port, path + "1,2&known=1", TestTokens.service()).errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(TestHttp.get(port, path + "1&known=2", TestTokens.service()).errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(TestHttp.get(port, path + "1&waitMs=-1", TestTokens.service()).errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(TestHttp.get(port, path + "1", null).status()).isEqualTo(401);
    heldIs(0);
    Await.result(me.close());
  }

  @Test
  void httpPresenceLongPollWakesOnLoginAndFreesItsWatchWhenTheCallerHangsUp() {
    long f1 = TestEnv.randomUid();
    long f2 = TestEnv.randomUid();
    int port = other.adminPort();
    String path = "/internal/presence?uids=" + f1 + "," + f2;
    assertThat(TestHttp.get(port, path, TestTokens.service()).json().getJsonObject("online"))
        .isEqualTo(known(f1, false, f2, false));

    CompletableFuture<TestHttp.Response> held = CompletableFuture.supplyAsync(
        () -> TestHttp.get(port, path + "&known=0,0&waitMs=5000", TestTokens.service()));
    heldIs(1);
    TestClient friend = login(holder, f2);
    TestHttp.Response r = held.join();
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getJsonObject("online")).isEqualTo(known(f2, true));

    double cancelledBefore = outcomes(holder, "presence", "cancelled");
    HttpClient http = TestClient.vertx().createHttpClient();
    http.request(HttpMethod.GET, port, "127.0.0.1", path + "&known=0,1")
        .compose(req -> req.putHeader("Authorization", "Bearer " + TestTokens.service()).send())
        .onFailure(t -> { });
    heldIs(1);
    Await.result(http.close());
    heldIs(0);
    WatchKit.countedOnce(holder, "presence", "cancelled", cancelledBefore);
    Await.result(friend.close());
  }
}
