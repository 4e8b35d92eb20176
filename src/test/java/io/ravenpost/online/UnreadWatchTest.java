package io.ravenpost.online;

import static io.ravenpost.online.WatchKit.held;
import static io.ravenpost.online.WatchKit.outcomes;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.watch.WatchAddresses;
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
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The watch design's unread watch on two real nodes: node 0 holds the watches (online role), node 1 is
 * where callers and the mail side are, so every answer crosses the cluster.
 */
class UnreadWatchTest {
  static final long MAX_WAIT_MS = 2500;
  static TestCluster cluster;
  static RavenNode holder;
  static RavenNode caller;
  static WatchKit.MailStandIn mail;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(0, new JsonObject().put("watch", new JsonObject()
        .put("maxWaitMs", MAX_WAIT_MS).put("defaultWaitMs", MAX_WAIT_MS)));
    holder = cluster.addNode(WatchKit.roles("online", "admin", "scheduler"));
    caller = cluster.addNode(WatchKit.roles("gate", "admin"));
    mail = WatchKit.MailStandIn.on(caller);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Future<JsonObject> watch(JsonObject body) {
    return WatchKit.request(caller, WatchAddresses.UNREAD.address(), body, 10_000);
  }

  private static JsonObject body(long uid, long known, String watcher) {
    return new JsonObject().put("uid", uid).put("known", known).put("watcher", watcher);
  }

  /** Waits until node 0 holds {@code n} unread watches. */
  private static void heldIs(int n) {
    Poll.until("node 0 holds " + n + " unread watches", 5000, () -> held(holder, "unread") == n);
  }

  @Test
  void answersAtOnceWhenTheCountDiffersOrNothingIsKnown() {
    long uid = TestEnv.randomUid();
    mail.set(uid, 3);
    assertThat(Await.result(watch(body(uid, 1, null)), 2000).getLong("unread")).isEqualTo(3);
    assertThat(Await.result(watch(new JsonObject().put("uid", uid)), 2000).getLong("unread")).isEqualTo(3);
    assertThat(Await.result(watch(body(uid, 3, null).put("waitMs", 0)), 2000).getLong("unread")).isEqualTo(3);
    heldIs(0);
  }

  @Test
  void aHeldWatchIsAnsweredOnAChangeOnAnotherNodeAndNotBefore() {
    aHeldWatchIsAnsweredOnAChangeOnAnotherNodeAndNotBeforeMs();
  }

  /** The latency bound, out of the default run: a shared 2-core box can stall any one request. */
  @Test
  @Tag("timing")
  void aHeldWatchIsAnsweredWithin100MsOfAChange() {
    assertThat(aHeldWatchIsAnsweredOnAChangeOnAnotherNodeAndNotBeforeMs()).as("ms from the change to the answer").isLessThanOrEqualTo(100);
  }

  /** Runs the scenario; answers the ms from the change to the answer. */
  private long aHeldWatchIsAnsweredOnAChangeOnAnotherNodeAndNotBeforeMs() {
    long uid = TestEnv.randomUid();
    mail.set(uid, 2);
    Future<JsonObject> w = watch(body(uid, 2, "client-a"));
    heldIs(1);

    mail.set(TestEnv.randomUid(), 7);
    mail.set(uid, 2);
    WatchKit.sleep(300);
    assertThat(w.isComplete()).as("answered while nothing changed").isFalse();

    long t0 = System.nanoTime();
    mail.set(uid, 3);
    JsonObject answer = Await.result(w, 2000);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("unread watch answered " + ms + " ms after the change on the other node");
    assertThat(answer.getLong("unread")).isEqualTo(3);
    heldIs(0);
    return ms;
  }

  @Test
  void afterTheWaitTheUnchangedCountIsAnsweredAndTheWaitIsCapped() {
    long uid = TestEnv.randomUid();
    mail.set(uid, 4);
    long t0 = System.currentTimeMillis();
    assertThat(Await.result(watch(body(uid, 4, null).put("waitMs", 300)), 3000).getLong("unread")).isEqualTo(4);
    assertThat(System.currentTimeMillis() - t0).isBetween(250L, 2000L);

    t0 = System.currentTimeMillis();
    assertThat(Await.result(watch(body(uid, 4, null).put("waitMs", 600_000)), 8000).getLong("unread")).isEqualTo(4);
    assertThat(System.currentTimeMillis() - t0).as("capped by watch.maxWaitMs")
        .isBetween(MAX_WAIT_MS - 100, MAX_WAIT_MS + 2000);
    heldIs(0);
  }

  @Test
  void aSecondWatchOfTheSameWatcherAnswersTheFirst() {
    long uid = TestEnv.randomUid();
    long other = TestEnv.randomUid();
    double replacedBefore = outcomes(holder, "unread", "replaced");
    Future<JsonObject> first = watch(body(uid, 0, "w-a"));
    Future<JsonObject> otherWatcher = watch(body(uid, 0, "w-b"));
    Future<JsonObject> otherUid = watch(body(other, 0, "w-a"));
    heldIs(3);

    Future<JsonObject> second = watch(body(uid, 0, "w-a"));
    assertThat(Await.result(first, 2000).getLong("unread")).as("the replaced watch says what it knew").isEqualTo(0);
    heldIs(3);
    WatchKit.countedOnce(holder, "unread", "replaced", replacedBefore);
    assertThat(second.isComplete() || otherWatcher.isComplete() || otherUid.isComplete()).isFalse();

    mail.set(uid, 1);
    assertThat(Await.result(second, 2000).getLong("unread")).isEqualTo(1);
    assertThat(Await.result(otherWatcher, 2000).getLong("unread")).isEqualTo(1);
    heldIs(1);
    mail.set(other, 5);
    assertThat(Await.result(otherUid, 2000).getLong("unread")).isEqualTo(5);
    heldIs(0);
  }

  @Test
  void malformedWatchesAreBadRequests() {
    assertThat(WatchKit.codeOf(watch(new JsonObject()))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(WatchKit.codeOf(watch(new JsonObject().put("uid", "abc")))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(WatchKit.codeOf(watch(body(1, -1, null)))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(WatchKit.codeOf(watch(body(1, 0, null).put("waitMs", -5)))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(WatchKit.codeOf(watch(new JsonObject().put("uid", 1).put("known", "x"))))
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(WatchKit.codeOf(watch(body(1, 0, "x".repeat(500))))).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  @Test
  void httpLongPollAnswersOnChange() {
    long uid = TestEnv.randomUid();
    mail.set(uid, 6);
    int port = caller.adminPort();
    String path = "/internal/users/" + uid + "/unread";
    TestHttp.Response now = TestHttp.get(port, path, TestTokens.service());
    assertThat(now.status()).isEqualTo(200);
    assertThat(now.json().getLong("unread")).isEqualTo(6);

    CompletableFuture<TestHttp.Response> held = CompletableFuture.supplyAsync(
        () -> TestHttp.get(port, path + "?known=6&waitMs=2000", TestTokens.admin()));
    heldIs(1);
    assertThat(held.isDone()).isFalse();
    mail.set(uid, 7);
    TestHttp.Response changed = held.join();
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.json().getLong("unread")).isEqualTo(7);

    assertThat(TestHttp.get(port, path + "?known=abc", TestTokens.service()).errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(TestHttp.get(port, path + "?known=7&waitMs=-1", TestTokens.service()).status()).isEqualTo(400);
    assertThat(TestHttp.get(port, "/internal/users/x1/unread", TestTokens.service()).status()).isEqualTo(400);
    assertThat(TestHttp.get(port, path, TestTokens.player(uid)).status()).isEqualTo(401);
    heldIs(0);
  }

  @Test
  void anHttpClientThatHangsUpFreesItsHeldWatch() {
    long uid = TestEnv.randomUid();
    mail.set(uid, 1);
    double cancelledBefore = outcomes(holder, "unread", "cancelled");
    HttpClient http = TestClient.vertx().createHttpClient();
    http.request(HttpMethod.GET, caller.adminPort(), "127.0.0.1", "/internal/users/" + uid + "/unread?known=1")
        .compose(req -> req.putHeader("Authorization", "Bearer " + TestTokens.service()).send())
        .onFailure(t -> { });
    heldIs(1);
    Await.result(http.close());
    heldIs(0);
    WatchKit.countedOnce(holder, "unread", "cancelled", cancelledBefore);
  }
}
