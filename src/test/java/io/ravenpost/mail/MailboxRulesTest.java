package io.ravenpost.mail;

import static io.ravenpost.mail.MailTesting.adminSend;
import static io.ravenpost.mail.MailTesting.eventually;
import static io.ravenpost.mail.MailTesting.gold;
import static io.ravenpost.mail.MailTesting.id;
import static io.ravenpost.mail.MailTesting.mail;
import static io.ravenpost.mail.MailTesting.opError;
import static io.ravenpost.mail.MailTesting.opSync;
import static io.ravenpost.mail.MailTesting.outboxRow;
import static io.ravenpost.mail.MailTesting.runJob;
import static io.ravenpost.mail.MailTesting.sendOne;
import static io.ravenpost.mail.MailTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Capacity and expiry: what goes, in which order, and what is never dropped silently. */
class MailboxRulesTest {
  static TestCluster cluster;
  static RavenNode node;
  static Pool db;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, new JsonObject().put("mail", new JsonObject().put("capacity", 5)
        .put("expiryPolicy", "discard").put("retentionSeconds", 0)));
    node = cluster.node(0);
    db = MailTesting.pool(TestEnv.mysqlUri());
  }

  @AfterAll
  static void stop() {
    Await.result(db.close());
    cluster.close();
  }

  private static List<Long> listed(long uid) {
    return opSync(node, uid, "mail.list", new JsonObject().put("limit", 100)).getJsonArray("mails").stream()
        .map(m -> ((JsonObject) m).getLong("mailId")).toList();
  }

  @Test
  void overCapacityTheOldestMailWithoutUnclaimedAttachmentsGoesFirst() {
    long uid = TestEnv.randomUid();
    long m1 = sendOne(node, uid, "m1");
    long m2 = sendOne(node, uid, "m2", gold(2));
    long m3 = sendOne(node, uid, "m3");
    long m4 = sendOne(node, uid, "m4", gold(4));
    long m5 = sendOne(node, uid, "m5");
    assertThat(listed(uid)).containsExactly(m5, m4, m3, m2, m1);

    long m6 = sendOne(node, uid, "m6");
    assertThat(listed(uid)).as("m1 is the oldest without unclaimed attachments").containsExactly(m6, m5, m4, m3, m2);

    opSync(node, uid, "mail.claim", id(m2));
    long m7 = sendOne(node, uid, "m7");
    assertThat(listed(uid)).as("claimed m2 may go now, before m3").containsExactly(m7, m6, m5, m4, m3);
    long m8 = sendOne(node, uid, "m8");
    assertThat(listed(uid)).containsExactly(m8, m7, m6, m5, m4);
  }

  @Test
  void oneSendToSeveralFullMailboxesEvictsInEachAsItsOwnRulesAllow() {
    long texts = TestEnv.randomUid();
    long rewards = TestEnv.randomUid();
    long empty = TestEnv.randomUid();
    long oldestText = sendOne(node, texts, "t0");
    for (int i = 1; i < 5; i++) {
      sendOne(node, texts, "t" + i);
      sendOne(node, rewards, "r" + i, gold(i));
    }
    sendOne(node, rewards, "r0", gold(9));
    List<Long> ids = adminSend(node, mail(users(texts, rewards, empty), "to all three"));
    assertThat(listed(texts)).hasSize(5).doesNotContain(oldestText).contains(ids.get(0));
    assertThat(listed(rewards)).hasSize(6).contains(ids.get(1));
    assertThat(listed(empty)).containsExactly(ids.get(2));
  }

  @Test
  void playersMailGoesFirstAndNeverPushesSystemMailOut() {
    long uid = TestEnv.randomUid();
    TestClient recipient = TestClient.ws(node.wsPort());
    recipient.loginSync(TestTokens.player(uid));
    long[] system = new long[5];
    for (int i = 0; i < system.length; i++) {
      system[i] = sendOne(node, uid, "announcement " + i);
    }
    List<Long> fromPlayers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      TestClient sender = TestClient.ws(node.wsPort());
      sender.loginSync(TestTokens.player(TestEnv.randomUid()));
      fromPlayers.add(sender.callSync("mail.send", new JsonObject().put("to", uid)
          .put("title", "spam " + i).put("body", "buy gold")).getLong("mailId"));
      Await.result(sender.close());
    }
    List<Long> box = listed(uid);
    for (long m : system) {
      assertThat(box).as("announcements stay whatever players send").contains(m);
    }
    assertThat(box).as("players' mail only makes room among players' mail; the box stays over capacity "
        + "rather than losing an announcement").hasSize(6).contains(fromPlayers.get(2))
        .doesNotContain(fromPlayers.get(0), fromPlayers.get(1));

    long update = sendOne(node, uid, "patch notes");
    box = listed(uid);
    assertThat(box).as("system mail makes room among players' mail first").hasSize(5).contains(update)
        .doesNotContainAnyElementsOf(fromPlayers);
    assertThat(box).containsExactly(update, system[4], system[3], system[2], system[1]);
    Await.result(recipient.close());
  }

  @Test
  void mailWithUnclaimedAttachmentsIsNeverDroppedToMakeRoom() {
    long uid = TestEnv.randomUid();
    long text = sendOne(node, uid, "words");
    long[] rewards = new long[6];
    for (int i = 0; i < rewards.length; i++) {
      rewards[i] = sendOne(node, uid, "reward " + i, gold(i + 1));
    }
    long lateText = sendOne(node, uid, "late words");
    List<Long> box = listed(uid);
    assertThat(box).doesNotContain(text);
    for (long r : rewards) {
      assertThat(box).contains(r);
    }
    assertThat(box).as("over capacity rather than dropping rewards or the new mail").hasSize(7).contains(lateText);
    JsonObject all = opSync(node, uid, "mail.claimAll", new JsonObject());
    assertThat(all.getJsonArray("claimed")).hasSize(6);
    assertThat(all.getJsonArray("attachments")).isEqualTo(new JsonArray().add(gold(21)));
  }

  @Test
  void makingRoomInOneMailboxDoesNotWaitForWorkOnAnotherPlayersMail() throws Exception {
    long other = TestEnv.randomUid();
    long othersMail = sendOne(node, other, "someone else's", gold(1));
    long uid = TestEnv.randomUid();
    for (int i = 0; i < 5; i++) {
      sendOne(node, uid, "filler " + i);
    }
    // A claim of the other player's mail in flight: its transaction holds that row.
    SqlConnection claim = Await.result(db.getConnection());
    try {
      Await.result(claim.begin());
      Await.result(claim.preparedQuery("SELECT id FROM mailbox WHERE uid = ? AND id = ? FOR UPDATE")
          .execute(Tuple.of(other, othersMail)));
      CompletableFuture<Long> send = CompletableFuture.supplyAsync(() -> sendOne(node, uid, "one too many"));
      assertThat(send.get(15, TimeUnit.SECONDS)).as("the full mailbox made room without touching other rows")
          .isPositive();
      assertThat(listed(uid)).hasSize(5);
    } finally {
      Await.result(claim.close());
    }
  }

  @Test
  void expiredMailDisappearsAtOnceAndIsRemovedByTheJobWithItsAttachmentsDiscarded() {
    long uid = TestEnv.randomUid();
    long keep = sendOne(node, uid, "keep");
    long reward = adminSend(node, mail(users(uid), "short reward").put("ttlSeconds", 1)
        .put("attachments", new JsonArray().add(gold(3)))).get(0);
    long note = adminSend(node, mail(users(uid), "short note").put("ttlSeconds", 1)).get(0);
    assertThat(opSync(node, uid, "mail.unread", new JsonObject()).getLong("unread")).isEqualTo(3);

    eventually("both short mails expire", 5000, () -> listed(uid).equals(List.of(keep)));
    assertThat(opSync(node, uid, "mail.unread", new JsonObject()).getLong("unread")).isEqualTo(1);
    for (String op : List.of("mail.open", "mail.claim", "mail.delete")) {
      assertThat(opError(node, uid, op, id(reward))).as(op).isEqualTo(ErrorCode.MAIL_EXPIRED);
    }
    assertThat(opSync(node, uid, "mail.claimAll", new JsonObject()).getJsonArray("claimed")).isEmpty();

    runJob(node, "mail-expiry");
    assertThat(opError(node, uid, "mail.open", id(reward))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(opError(node, uid, "mail.open", id(note))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(outboxRow(db, uid, reward)).as("policy discard grants nothing").isNull();
    assertThat(rows(uid)).isEqualTo(3);
    assertThat(MailTesting.text(node, "/metrics")).contains("raven_mail_expired_total{")
        .contains("policy=\"discard\"");

    runJob(node, "mail-purge");
    assertThat(rows(uid)).as("removed mail is purged after mail.retentionSeconds").isEqualTo(1);
    assertThat(listed(uid)).containsExactly(keep);
  }

  private static long rows(long uid) {
    return Await.result(db.preparedQuery("SELECT COUNT(*) FROM mailbox WHERE uid = ?").execute(Tuple.of(uid))
        .map(r -> r.iterator().next().getLong(0)));
  }
}
