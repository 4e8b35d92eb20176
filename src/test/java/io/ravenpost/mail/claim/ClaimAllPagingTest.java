package io.ravenpost.mail.claim;

import static io.ravenpost.mail.MailTesting.opSync;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.MailTesting;
import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A mailbox with more claimable rewards than one statement can hold (MySQL stops at 65,535
 * placeholders; the outbox insert takes 8 per mail) is claimed in pages: every reward is granted
 * once, and the reply stays small.
 */
class ClaimAllPagingTest {
  private static final int MAILS = 8_300;
  static Scratch scratch;
  static TestCluster cluster;
  static Pool db;

  /** A database of its own: thousands of unacknowledged grants would hold up other tests' relays. */
  @BeforeAll
  static void start() {
    scratch = new Scratch();
    cluster = TestCluster.start(1, scratch.overrides(new JsonObject()
        .put("mail", new JsonObject().put("relayEnabled", false))));
    db = MailTesting.pool(scratch.uri());
  }

  @AfterAll
  static void stop() {
    Await.result(db.close());
    cluster.close();
    scratch.close();
  }

  /** Rewards stored straight into the mailbox: a mailbox keeps every mail with unclaimed attachments. */
  private static void seedRewards(long uid, int n) {
    long now = System.currentTimeMillis();
    String gold = new JsonArray().add(MailTesting.gold(1)).encode();
    for (int at = 0; at < n; at += 1000) {
      StringBuilder sql = new StringBuilder("INSERT INTO mailbox (uid, kind, sender, title, body, attachments, "
          + "created_at, expires_at) VALUES ");
      int rows = Math.min(1000, n - at);
      for (int i = 0; i < rows; i++) {
        sql.append(i == 0 ? "" : ",").append("(?, 'system', 'system', 'reward', 'b', ?, ?, ?)");
      }
      Object[] args = new Object[rows * 4];
      for (int i = 0; i < rows; i++) {
        args[4 * i] = uid;
        args[4 * i + 1] = gold;
        args[4 * i + 2] = now - 60_000;
        args[4 * i + 3] = now + 86_400_000L;
      }
      Await.result(db.preparedQuery(sql.toString()).execute(Tuple.from(args)), 60_000);
    }
  }

  private static long count(String sql, long uid) {
    return Await.result(db.preparedQuery(sql).execute(Tuple.of(uid))).iterator().next().getLong(0);
  }

  @Test
  void aHugeMailboxIsClaimedInPagesEveryRewardOnceWithABoundedReply() {
    long uid = TestEnv.randomUid();
    seedRewards(uid, MAILS);

    JsonObject r = opSync(cluster.node(0), uid, "mail.claimAll", new JsonObject());

    assertThat(r.getLong("claimedCount")).isEqualTo(MAILS);
    assertThat(r.getJsonArray("claimed")).hasSize(1000);
    assertThat(r.getBoolean("truncated")).isTrue();
    assertThat(r.getJsonArray("attachments")).isEqualTo(new JsonArray().add(MailTesting.gold(MAILS)));
    assertThat(count("SELECT COUNT(*) FROM mail_outbox WHERE uid = ?", uid)).as("one grant per mail")
        .isEqualTo(MAILS);
    assertThat(count("SELECT COUNT(*) FROM mailbox WHERE uid = ? AND claimed_at IS NULL", uid)).isZero();
    JsonObject again = opSync(cluster.node(0), uid, "mail.claimAll", new JsonObject());
    assertThat(again.getLong("claimedCount")).isZero();
    assertThat(count("SELECT COUNT(*) FROM mail_outbox WHERE uid = ?", uid)).isEqualTo(MAILS);
  }
}
