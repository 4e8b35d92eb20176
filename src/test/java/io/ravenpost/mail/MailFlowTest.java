package io.ravenpost.mail;

import static io.ravenpost.mail.MailTesting.adminSend;
import static io.ravenpost.mail.MailTesting.eventually;
import static io.ravenpost.mail.MailTesting.gold;
import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.MailTesting.id;
import static io.ravenpost.mail.MailTesting.mail;
import static io.ravenpost.mail.MailTesting.opError;
import static io.ravenpost.mail.MailTesting.sendOne;
import static io.ravenpost.mail.MailTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.mail.MailTesting.GrantSink;
import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The whole personal-mail story end to end on a two-node cluster, through the real gate and HTTP API. */
class MailFlowTest {
  static TestCluster cluster;
  static GrantSink grants;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(2, new JsonObject().put("mail", new JsonObject().put("playerSendLimit", 3)));
    grants = new GrantSink(cluster.node(0));
  }

  @AfterAll
  static void stop() {
    grants.close();
    cluster.close();
  }

  private static TestClient login(int node, String token) {
    TestClient c = TestClient.ws(cluster.node(node).wsPort());
    c.loginSync(token);
    return c;
  }

  @Test
  void adminSendOnNodeAReachesThePlayerOnNodeBThenListOpenClaimDelete() {
    long uid = TestEnv.randomUid();
    TestClient c = login(1, TestTokens.player(uid));
    long mailId = sendOne(cluster.node(0), uid, "Compensation", gold(100));

    JsonObject push = c.nextPush("mail.new", 5000);
    assertThat(push).as("mail.new push").isNotNull();
    JsonObject summary = push.getJsonObject("body").getJsonObject("mail");
    assertThat(summary.getLong("mailId")).isEqualTo(mailId);
    assertThat(summary.getString("kind")).isEqualTo("system");
    assertThat(summary.getString("from")).isEqualTo("system");
    assertThat(summary.getString("title")).isEqualTo("Compensation");
    assertThat(summary.getBoolean("read")).isFalse();
    assertThat(summary.getBoolean("hasAttachments")).isTrue();
    assertThat(summary.getBoolean("claimed")).isFalse();
    assertThat(summary.getLong("expiresAt") - summary.getLong("createdAt")).isEqualTo(30L * 24 * 3600 * 1000);
    assertThat(push.getJsonObject("body").getLong("unread")).isEqualTo(1);

    JsonObject hb = c.callSync("heartbeat", new JsonObject());
    assertThat(hb.getBoolean("newMail")).isTrue();
    assertThat(hb.getLong("unread")).isEqualTo(1);

    JsonObject page = c.callSync("mail.list", new JsonObject());
    assertThat(page.getJsonArray("mails")).hasSize(1);
    assertThat(page.getValue("nextCursor")).isNull();
    assertThat(page.getJsonArray("mails").getJsonObject(0).getLong("mailId")).isEqualTo(mailId);
    assertThat(c.callSync("heartbeat", new JsonObject()).getBoolean("newMail")).isFalse();

    JsonObject opened = c.callSync("mail.open", id(mailId)).getJsonObject("mail");
    assertThat(opened.getString("body")).isEqualTo("body of Compensation");
    assertThat(opened.getBoolean("read")).isTrue();
    assertThat(opened.getJsonArray("attachments")).isEqualTo(new JsonArray().add(gold(100)));
    assertThat(c.callSync("mail.unread", new JsonObject()).getLong("unread")).isZero();

    assertThat(c.errorOf("mail.delete", id(mailId))).isEqualTo(ErrorCode.HAS_UNCLAIMED);
    JsonObject claimed = c.callSync("mail.claim", id(mailId));
    assertThat(claimed.getJsonArray("attachments")).isEqualTo(new JsonArray().add(gold(100)));
    assertThat(c.errorOf("mail.claim", id(mailId))).isEqualTo(ErrorCode.ALREADY_CLAIMED);
    eventually("grant published", 5000, () -> grants.forUid(uid).size() == 1);
    JsonObject grant = grants.forUid(uid).get(0);
    assertThat(grant.getLong("mailId")).isEqualTo(mailId);
    assertThat(grant.getString("grantId")).isEqualTo(uid + "-" + mailId);
    assertThat(grant.getJsonArray("attachments")).isEqualTo(new JsonArray().add(gold(100)));

    assertThat(c.callSync("mail.delete", id(mailId))).isEqualTo(new JsonObject());
    assertThat(c.callSync("mail.list", new JsonObject()).getJsonArray("mails")).isEmpty();
    assertThat(c.errorOf("mail.open", id(mailId))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(grants.forUid(uid)).hasSize(1);
  }

  @Test
  void mailSentWhileOfflineIsCountedAtLoginAndListedNewestFirst() {
    long uid = TestEnv.randomUid();
    long first = sendOne(cluster.node(1), uid, "first");
    long second = sendOne(cluster.node(0), uid, "second");
    TestClient c = TestClient.ws(cluster.node(0).wsPort());
    assertThat(c.loginSync(TestTokens.player(uid)).getLong("unread")).isEqualTo(2);
    assertThat(c.callSync("heartbeat", new JsonObject()).getBoolean("newMail")).isTrue();
    JsonArray mails = c.callSync("mail.list", new JsonObject()).getJsonArray("mails");
    assertThat(mails.stream().map(m -> ((JsonObject) m).getLong("mailId")).toList()).containsExactly(second, first);
  }

  @Test
  void playersMailEachOtherByUidAndByNameWithinTheRateLimit() {
    long alice = TestEnv.randomUid();
    long bob = TestEnv.randomUid();
    String aliceName = "alice-" + alice;
    TestClient a = login(0, named(alice, aliceName));
    TestClient b = login(1, named(bob, "bob-" + bob));

    long byName = b.callSync("mail.send", new JsonObject().put("to", new JsonObject().put("name", aliceName))
        .put("title", "hi").put("body", "by name")).getLong("mailId");
    JsonObject push = a.nextPush("mail.new", 5000).getJsonObject("body").getJsonObject("mail");
    assertThat(push.getLong("mailId")).isEqualTo(byName);
    assertThat(push.getString("kind")).isEqualTo("player");
    assertThat(push.getString("from")).isEqualTo("bob-" + bob);
    assertThat(push.getLong("fromUid")).isEqualTo(bob);
    assertThat(push.getBoolean("hasAttachments")).isFalse();

    long byUid = b.callSync("mail.send", new JsonObject().put("to", alice).put("title", "again").put("body", ""))
        .getLong("mailId");
    assertThat(a.nextPush("mail.new", 5000).getJsonObject("body").getJsonObject("mail").getLong("mailId"))
        .isEqualTo(byUid);
    assertThat(a.errorOf("mail.claim", id(byUid))).isEqualTo(ErrorCode.NO_ATTACHMENTS);

    assertThat(b.errorOf("mail.send", new JsonObject().put("to", alice).put("title", "gift").put("body", "x")
        .put("attachments", new JsonArray().add(gold(1))))).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(b.errorOf("mail.send", new JsonObject().put("to", new JsonObject().put("name", "nobody-" + bob))
        .put("title", "t").put("body", "b"))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(b.errorOf("mail.send", new JsonObject().put("to", TestEnv.randomUid())
        .put("title", "t").put("body", "b"))).isEqualTo(ErrorCode.RATE_LIMITED);
    assertThat(a.callSync("mail.list", new JsonObject()).getJsonArray("mails")).hasSize(2);
  }

  @Test
  void aPlayersRetryWithTheSameClientMsgIdIsNotASecondMail() {
    long alice = TestEnv.randomUid();
    long bob = TestEnv.randomUid();
    TestClient a = login(0, named(alice, "alice-" + alice));
    TestClient b = login(1, named(bob, "bob-" + bob));
    JsonObject send = new JsonObject().put("to", alice).put("title", "hello").put("body", "once")
        .put("clientMsgId", "m-1");
    long first = b.callSync("mail.send", send).getLong("mailId");
    // The rate limit is 3 per window: the repeats cost nothing, or the last ones would be refused.
    for (int i = 0; i < 4; i++) {
      assertThat(b.callSync("mail.send", send).getLong("mailId")).as("repeat %d", i).isEqualTo(first);
    }
    assertThat(b.callSync("mail.send", send.copy().put("body", "edited")).getLong("mailId"))
        .as("the same id with another body still answers the first mail").isEqualTo(first);
    long other = b.callSync("mail.send", send.copy().put("clientMsgId", "m-2")).getLong("mailId");
    assertThat(other).isNotEqualTo(first);
    assertThat(a.callSync("mail.list", new JsonObject()).getJsonArray("mails")).hasSize(2);
    assertThat(b.errorOf("mail.send", send.copy().put("clientMsgId", "has space"))).isEqualTo(ErrorCode.BAD_REQUEST);
    TestClient c = login(0, named(TestEnv.randomUid(), "carol"));
    assertThat(c.callSync("mail.send", send).getLong("mailId"))
        .as("ids are per sender: another player's m-1 is a mail of its own").isNotEqualTo(first);
  }

  @Test
  void unreadChangesArePublishedClusterWide() {
    long uid = TestEnv.randomUid();
    List<Long> seen = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> watch = cluster.node(1).context().vertx().eventBus()
        .consumer(MailAddresses.UNREAD_CHANGED.address(), m -> {
          if (m.body().getLong("uid") == uid) {
            seen.add(m.body().getLong("unread"));
          }
        });
    Await.result(watch.completion());
    try {
      long mailId = sendOne(cluster.node(0), uid, "count me");
      eventually("unread 1 announced", 5000, () -> seen.contains(1L));
      assertThat(Await.result(cluster.node(1).context().vertx().eventBus().<JsonObject>request(MailAddresses.UNREAD.address(),
          new JsonObject().put("uid", uid))).body().getLong("unread")).isEqualTo(1);
      MailTesting.opSync(cluster.node(0), uid, "mail.open", id(mailId));
      eventually("unread 0 announced", 5000, () -> seen.contains(0L));
    } finally {
      Await.result(watch.unregister());
    }
  }

  @Test
  void anotherPlayersMailIsNotFound() {
    long owner = TestEnv.randomUid();
    long other = TestEnv.randomUid();
    long mailId = sendOne(cluster.node(0), owner, "mine", gold(5));
    for (String op : List.of("mail.open", "mail.claim", "mail.delete")) {
      assertThat(opError(cluster.node(1), other, op, id(mailId))).as(op).isEqualTo(ErrorCode.NOT_FOUND);
    }
    assertThat(MailTesting.opSync(cluster.node(0), owner, "mail.unread", new JsonObject()).getLong("unread"))
        .isEqualTo(1);
  }

  @Test
  void adminSeesAMailboxInFull() {
    long uid = TestEnv.randomUid();
    List<Long> ids = adminSend(cluster.node(1), mail(users(uid), "inspect").put("from", "GM Ada")
        .put("attachments", new JsonArray().add(gold(7))));
    Reply r = http(cluster.node(0), "GET", "/admin/users/" + uid + "/mail?limit=5", TestTokens.admin(), null, Map.of());
    assertThat(r.status()).isEqualTo(200);
    JsonObject m = r.body().getJsonArray("mails").getJsonObject(0);
    assertThat(m.getLong("mailId")).isEqualTo(ids.get(0));
    assertThat(m.getString("from")).isEqualTo("GM Ada");
    assertThat(m.getString("body")).isEqualTo("body of inspect");
    assertThat(m.getJsonArray("attachments")).hasSize(1);
    assertThat(http(cluster.node(0), "GET", "/admin/users/" + uid + "/mail", TestTokens.service(), null, Map.of())
        .status()).isEqualTo(403);
  }

  private static String named(long uid, String name) {
    return TestTokens.mint(new JsonObject().put("sub", Long.toString(uid)).put("role", "player").put("name", name)
        .put("created_at", System.currentTimeMillis() / 1000 - 60));
  }
}
