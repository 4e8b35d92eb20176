package io.ravenpost.mail.feed;

import static io.ravenpost.mail.MailTesting.gold;
import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.MailTesting.id;
import static io.ravenpost.mail.MailTesting.mail;
import static io.ravenpost.mail.MailTesting.runJob;
import static io.ravenpost.mail.MailTesting.sendOne;
import static io.ravenpost.mail.MailTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.mail.MailTesting;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The change feed from a client's side: seq and epoch at login, pushes with seq, mail.sync after a reconnect. */
class FeedTest {
  static TestCluster cluster;
  static Pool db;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2);
    db = MailTesting.pool(TestEnv.mysqlUri());
  }

  @AfterAll
  static void stop() {
    Await.result(db.close());
    cluster.close();
  }

  private static TestClient login(int node, long uid) {
    TestClient c = TestClient.ws(cluster.node(node).wsPort());
    c.loginSync(TestTokens.player(uid));
    return c;
  }

  private static JsonObject sync(TestClient c, long since, String epoch) {
    return c.callSync("mail.sync", new JsonObject().put("since", since).put("epoch", epoch));
  }

  private static List<Object> types(JsonArray changes) {
    return changes.stream().map(o -> ((JsonObject) o).getString("type")).map(Object.class::cast).toList();
  }

  private static Reply delete(String path) {
    return http(cluster.node(0), "DELETE", path, TestTokens.admin(), null, Map.of());
  }

  @Test
  void aReconnectingClientGetsExactlyWhatItMissedInOrder() {
    long uid = TestEnv.randomUid();
    TestClient c = TestClient.ws(cluster.node(1).wsPort());
    JsonObject hello = c.loginSync(TestTokens.player(uid));
    assertThat(hello.getLong("seq")).isZero();
    String epoch = hello.getString("epoch");
    assertThat(epoch).isNotBlank();

    long first = sendOne(cluster.node(0), uid, "first", gold(5));
    JsonObject pushed = c.nextPush("mail.new", 5000).getJsonObject("body");
    assertThat(pushed.getLong("seq")).isEqualTo(1);
    c.callSync("mail.open", id(first));
    assertThat(c.callSync("mail.claim", id(first))).isEqualTo(new JsonObject()
        .put("attachments", new JsonArray().add(gold(5))));
    Await.result(c.close());

    long second = sendOne(cluster.node(0), uid, "second");
    long third = sendOne(cluster.node(0), uid, "third", gold(1));
    assertThat(delete("/admin/users/" + uid + "/mail/" + third).status()).isEqualTo(204);

    TestClient back = TestClient.ws(cluster.node(0).wsPort());
    JsonObject again = back.loginSync(TestTokens.player(uid));
    assertThat(again.getLong("seq")).isEqualTo(6);
    assertThat(again.getString("epoch")).isEqualTo(epoch);
    JsonObject missed = sync(back, 3, epoch);
    JsonArray changes = missed.getJsonArray("changes");
    assertThat(types(changes)).containsExactly("new", "new", "recalled");
    assertThat(changes.getJsonObject(0).getLong("seq")).isEqualTo(4);
    assertThat(changes.getJsonObject(0).getLong("mailId")).isEqualTo(second);
    assertThat(changes.getJsonObject(0).getJsonObject("mail").getString("title")).isEqualTo("second");
    assertThat(changes.getJsonObject(1).getJsonObject("mail").getLong("mailId")).isEqualTo(third);
    assertThat(changes.getJsonObject(2).getLong("mailId")).isEqualTo(third);
    assertThat(changes.getJsonObject(2).containsKey("mail")).isFalse();
    assertThat(missed.getLong("seq")).isEqualTo(6);
    assertThat(missed.getBoolean("more")).isFalse();

    JsonObject all = sync(back, 0, epoch);
    assertThat(types(all.getJsonArray("changes"))).containsExactly("new", "read", "claimed", "new", "new", "recalled");
    assertThat(sync(back, 6, epoch).getJsonArray("changes")).isEmpty();
    back.close();
  }

  @Test
  void aSyncThatCannotBeAnsweredSaysResync() {
    long uid = TestEnv.randomUid();
    TestClient c = login(0, uid);
    String epoch = c.callSync("mail.sync", new JsonObject().put("since", 0).put("epoch", "x")).getString("epoch");
    sendOne(cluster.node(0), uid, "one");
    sendOne(cluster.node(0), uid, "two");

    assertThat(sync(c, 0, "not-the-epoch")).isEqualTo(new JsonObject().put("resync", true).put("seq", 2)
        .put("epoch", epoch));
    assertThat(sync(c, 3, epoch).getBoolean("resync")).as("a client ahead of the feed (a restore lost changes)").isTrue();
    assertThat(c.errorOf("mail.sync", new JsonObject().put("since", -1).put("epoch", epoch)).name())
        .isEqualTo("BAD_REQUEST");
    assertThat(c.errorOf("mail.sync", new JsonObject().put("since", 0)).name()).isEqualTo("BAD_REQUEST");

    // Entries older than mail.feedDays go with the trim job; a client that had not seen them must reload.
    Await.result(db.preparedQuery("UPDATE mail_feed SET at = ? WHERE uid = ? AND seq = 1")
        .execute(Tuple.of(System.currentTimeMillis() - 8L * 86_400_000, uid)));
    runJob(cluster.node(0), "mail-feed-trim");
    assertThat(sync(c, 0, epoch)).isEqualTo(new JsonObject().put("resync", true).put("seq", 2).put("epoch", epoch));
    assertThat(types(sync(c, 1, epoch).getJsonArray("changes"))).containsExactly("new");
    c.close();
  }

  @Test
  void changesTheSessionDidNotAskForArePushedAndItsOwnAreNot() {
    long uid = TestEnv.randomUid();
    TestClient c = login(1, uid);
    List<JsonObject> pushes = new CopyOnWriteArrayList<>();
    c.onPush(pushes::add);
    long kept = sendOne(cluster.node(0), uid, "kept");
    long recalled = sendOne(cluster.node(0), uid, "recalled", gold(3));
    c.callSync("mail.open", id(kept));
    assertThat(delete("/admin/users/" + uid + "/mail/" + recalled).status()).isEqualTo(204);

    JsonObject change = c.nextPush("mail.changed", 5000).getJsonObject("body");
    assertThat(change.getJsonObject("change")).isEqualTo(new JsonObject().put("seq", 4).put("type", "recalled")
        .put("mailId", recalled));
    assertThat(change.getLong("unread")).isZero();
    assertThat(pushes.stream().filter(p -> p.getString("op").equals("mail.changed")).count())
        .as("the session's own read is in its reply, not pushed").isEqualTo(1);
    c.close();
  }

  @Test
  void pagesOfTwoHundredWithMoreUntilTheHead() throws Exception {
    long uid = TestEnv.randomUid();
    TestClient c = login(0, uid);
    String epoch = sync(c, 0, "?").getString("epoch");
    JsonObject body = mail(users(uid), "many");
    ExecutorService senders = Executors.newFixedThreadPool(16);
    try {
      List<Future<Reply>> sent = new ArrayList<>();
      for (int i = 0; i < 205; i++) {
        sent.add(senders.submit(() -> http(cluster.node(0), "POST", "/admin/mail", TestTokens.admin(), body, Map.of())));
      }
      for (Future<Reply> f : sent) {
        Reply r = f.get();
        assertThat(r.status()).as("%s", r.body()).isEqualTo(201);
      }
    } finally {
      senders.shutdown();
    }
    JsonObject page = sync(c, 0, epoch);
    assertThat(page.getJsonArray("changes")).hasSize(200);
    assertThat(page.getBoolean("more")).isTrue();
    assertThat(page.getLong("seq")).isEqualTo(200);
    JsonObject rest = sync(c, 200, epoch);
    assertThat(rest.getBoolean("more")).isFalse();
    JsonArray all = page.getJsonArray("changes").copy();
    rest.getJsonArray("changes").forEach(all::add);
    assertThat(rest.getLong("seq")).isEqualTo(all.size());
    // 205 new mails in a mailbox of 100: the capacity rule deleted old ones as new ones arrived,
    // and the feed names each deletion once: what is left is exactly what mail.list shows.
    long added = types(all).stream().filter("new"::equals).count();
    long deleted = types(all).stream().filter("deleted"::equals).count();
    assertThat(added).isEqualTo(205);
    assertThat(added - deleted).isEqualTo(Mirror.listed(c).size());
    c.close();
  }

  /** Logins read their feed heads in batches: each reply still carries its own player's seq. */
  @Test
  void loginsAtOnceEachGetTheirOwnSeq() throws Exception {
    long base = TestEnv.randomUid();
    int players = 40;
    for (int i = 0; i < players; i += 2) {
      // Every other player has a feed head of its own; the rest have had no change yet.
      Await.result(db.preparedQuery("INSERT INTO mail_feed_head (uid, seq) VALUES (?, ?)").execute(Tuple.of(base + i, 1000 + i)));
    }
    ExecutorService logins = Executors.newFixedThreadPool(players);
    try {
      List<Future<JsonObject>> replies = new ArrayList<>();
      List<TestClient> clients = new CopyOnWriteArrayList<>();
      for (int i = 0; i < players; i++) {
        long uid = base + i;
        replies.add(logins.submit(() -> {
          TestClient c = TestClient.ws(cluster.node(0).wsPort());
          clients.add(c);
          return c.loginSync(TestTokens.player(uid));
        }));
      }
      for (int i = 0; i < players; i++) {
        assertThat(replies.get(i).get().getLong("seq")).as("player %d", i).isEqualTo(i % 2 == 0 ? 1000L + i : 0L);
      }
      clients.forEach(TestClient::close);
    } finally {
      logins.shutdown();
    }
  }

  @Test
  void mailWithALaterStartsAtOpensWithAPushOnItsOwn() {
    long uid = TestEnv.randomUid();
    TestClient c = login(1, uid);
    long opensAt = System.currentTimeMillis() + 1500;
    List<Long> ids = MailTesting.adminSend(cluster.node(0), mail(users(uid), "later").put("startsAt", opensAt));
    JsonObject push = c.nextPush("mail.new", 6000);
    assertThat(push).as("mail.new when startsAt passed").isNotNull();
    assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(opensAt);
    JsonObject body = push.getJsonObject("body");
    assertThat(body.getJsonObject("mail").getLong("mailId")).isEqualTo(ids.get(0));
    assertThat(body.getLong("seq")).isEqualTo(1);
    assertThat(body.getLong("unread")).isEqualTo(1);
    c.close();
  }
}
