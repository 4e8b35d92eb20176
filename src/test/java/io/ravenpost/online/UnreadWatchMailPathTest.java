package io.ravenpost.online;

import static io.ravenpost.online.WatchKit.held;
import static org.assertj.core.api.Assertions.assertThat;

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
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The unread watch on the real mail path: node 0 holds the watches (online role only), node 1
 * stores and reads mail (mail, admin and gate roles). The watch is answered because mail was
 * stored or read on the other node, nothing else.
 */
class UnreadWatchMailPathTest {
  static TestCluster cluster;
  static RavenNode holder;
  static RavenNode mailNode;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(0);
    holder = cluster.addNode(WatchKit.roles("online", "scheduler"));
    mailNode = cluster.addNode(WatchKit.roles("mail", "admin", "gate"));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Future<JsonObject> watch(long uid, long known) {
    return WatchKit.request(mailNode, WatchAddresses.UNREAD.address(),
        new JsonObject().put("uid", uid).put("known", known).put("waitMs", 10_000), 15_000);
  }

  private static void store(long uid, String title) {
    JsonObject mail = new JsonObject().put("target", new JsonObject().put("type", "users")
        .put("uids", new JsonArray().add(uid))).put("title", title).put("body", "for the watch test");
    TestHttp.Response r = TestHttp.send(mailNode.adminPort(), "POST", "/internal/mail", TestTokens.service(), mail,
        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
  }

  private static long unreadNow(long uid) {
    TestHttp.Response r = TestHttp.get(mailNode.adminPort(), "/internal/users/" + uid + "/unread",
        TestTokens.service());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json().getLong("unread");
  }

  @Test
  void aMailStoredOnAnotherNodeAnswersTheHeldWatches() {
    aMailStoredOnAnotherNodeAnswersTheHeldWatchesMs();
  }

  /** The latency bound, out of the default run: a shared 2-core box can stall any one request. */
  @Test
  @Tag("timing")
  void aMailStoredOnAnotherNodeAnswersTheHeldWatchesWithin100Ms() {
    assertThat(aMailStoredOnAnotherNodeAnswersTheHeldWatchesMs()).as("ms from the change to the answer").isLessThanOrEqualTo(100);
  }

  /** Runs the scenario; answers the ms from the change to the answer. */
  private long aMailStoredOnAnotherNodeAnswersTheHeldWatchesMs() {
    long uid = TestEnv.randomUid();
    assertThat(unreadNow(uid)).isZero();
    Future<JsonObject> bus = watch(uid, 0);
    CompletableFuture<TestHttp.Response> http = CompletableFuture.supplyAsync(() -> TestHttp.get(
        mailNode.adminPort(), "/internal/users/" + uid + "/unread?known=0&waitMs=10000", TestTokens.service()));
    Poll.until("both watches held on node 0", 5000, () -> held(holder, "unread") == 2);
    WatchKit.sleep(300);
    assertThat(bus.isComplete() || http.isDone()).as("answered while no mail came").isFalse();

    store(uid, "first");
    long stored = System.nanoTime();
    JsonObject answer = Await.result(bus, 2000);
    long ms = (System.nanoTime() - stored) / 1_000_000;
    System.out.println("unread watch answered " + ms + " ms after a mail was stored on the other node");
    assertThat(answer.getLong("unread")).isEqualTo(1);
    assertThat(http.join().json().getLong("unread")).isEqualTo(1);
    Poll.until("no watch held", 2000, () -> held(holder, "unread") == 0);
    return ms;
  }

  @Test
  void readingTheMailAnswersAWatchThatKnewItUnread() {
    long uid = TestEnv.randomUid();
    store(uid, "to be read");
    assertThat(unreadNow(uid)).isEqualTo(1);
    TestClient player = TestClient.ws(mailNode.wsPort());
    player.loginSync(TestTokens.player(uid));
    long mailId = player.callSync("mail.list", new JsonObject()).getJsonArray("mails").getJsonObject(0)
        .getLong("mailId");

    Future<JsonObject> w = watch(uid, 1);
    Poll.until("the watch held on node 0", 5000, () -> held(holder, "unread") == 1);
    player.callSync("mail.open", new JsonObject().put("mailId", mailId));
    assertThat(Await.result(w, 2000).getLong("unread")).isZero();
    Await.result(player.close());
  }
}
