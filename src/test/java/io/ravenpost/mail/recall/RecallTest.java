package io.ravenpost.mail.recall;

import static io.ravenpost.mail.MailTesting.gold;
import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.MailTesting.id;
import static io.ravenpost.mail.MailTesting.mail;
import static io.ravenpost.mail.MailTesting.outcome;
import static io.ravenpost.mail.MailTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.mail.MailTesting;
import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Operators take mail back: one mail, or what is left of a send; never a mail that was claimed. */
class RecallTest {
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

  private static Reply delete(String path) {
    return http(cluster.node(1), "DELETE", path, TestTokens.admin(), null, Map.of());
  }

  private static JsonObject send(JsonObject body) {
    Reply r = http(cluster.node(0), "POST", "/admin/mail", TestTokens.admin(), body, Map.of());
    assertThat(r.status()).as(r.body().encode()).isEqualTo(201);
    return r.body();
  }

  /**
   * A claim and a recall of the same mail, started together, many times: each mail ends either
   * claimed (a grant in the outbox, the mail still listed) or recalled (gone, no grant), never both.
   */
  @Test
  void aMailIsEitherClaimedOrRecalledNeverBoth() throws Exception {
    int mails = 40;
    long uid = TestEnv.randomUid();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < mails; i++) {
      ids.add(send(mail(users(uid), "race " + i).put("attachments", new JsonArray().add(gold(1))))
          .getJsonArray("mailIds").getLong(0));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    int claimed = 0;
    int recalled = 0;
    try {
      for (long mailId : ids) {
        CompletableFuture<ErrorCode> claim = CompletableFuture.supplyAsync(
            () -> outcome(cluster.node(mailId % 2 == 0 ? 0 : 1), uid, "mail.claim", id(mailId)), pool);
        CompletableFuture<Reply> recall = CompletableFuture.supplyAsync(
            () -> delete("/admin/users/" + uid + "/mail/" + mailId), pool);
        ErrorCode claimError = claim.get();
        Reply recallReply = recall.get();
        boolean grant = MailTesting.outboxRow(db, uid, mailId) != null;
        if (claimError == null) {
          claimed++;
          assertThat(recallReply.status()).as("recall after a claim of mail " + mailId).isEqualTo(409);
          assertThat(recallReply.body().getJsonObject("error").getString("code")).isEqualTo("ALREADY_CLAIMED");
          assertThat(grant).as("the claim's grant").isTrue();
        } else {
          recalled++;
          assertThat(claimError).as("claim of recalled mail " + mailId).isEqualTo(ErrorCode.NOT_FOUND);
          assertThat(recallReply.status()).isEqualTo(204);
          assertThat(grant).as("no grant for recalled mail " + mailId).isFalse();
        }
      }
    } finally {
      pool.shutdown();
    }
    System.out.printf("claim against recall: %d claimed, %d recalled%n", claimed, recalled);
    JsonArray listed = MailTesting.opSync(cluster.node(0), uid, "mail.list", new JsonObject().put("limit", 100))
        .getJsonArray("mails");
    assertThat(listed).hasSize(claimed);
  }

  @Test
  void oneMailAnswersNotFoundAlreadyClaimedOrGone() {
    long uid = TestEnv.randomUid();
    long claimedId = send(mail(users(uid), "claimed").put("attachments", new JsonArray().add(gold(2))))
        .getJsonArray("mailIds").getLong(0);
    long plain = send(mail(users(uid), "plain")).getJsonArray("mailIds").getLong(0);
    MailTesting.opSync(cluster.node(0), uid, "mail.claim", id(claimedId));

    assertThat(delete("/admin/users/" + uid + "/mail/" + claimedId).status()).isEqualTo(409);
    assertThat(delete("/admin/users/" + uid + "/mail/" + (plain + 1_000_000)).status()).isEqualTo(404);
    assertThat(delete("/admin/users/" + (uid + 1) + "/mail/" + plain).status()).as("another player's mail").isEqualTo(404);
    assertThat(delete("/admin/users/" + uid + "/mail/" + plain).status()).isEqualTo(204);
    assertThat(delete("/admin/users/" + uid + "/mail/" + plain).status()).as("already gone").isEqualTo(204);
    assertThat(MailTesting.opError(cluster.node(0), uid, "mail.open", id(plain))).isEqualTo(ErrorCode.NOT_FOUND);
    assertThat(http(cluster.node(0), "DELETE", "/admin/users/" + uid + "/mail/" + plain, TestTokens.service(), null,
        Map.of()).status()).as("a service token may not recall").isEqualTo(403);
  }

  @Test
  void aSendIsRecalledWhereUnclaimedOnEveryShardAndAudited() {
    long a = TestEnv.randomUid();
    long b = a + 1;
    long c = a + 2;
    String key = "recall-" + UUID.randomUUID();
    JsonObject body = mail(new JsonObject().put("type", "users").put("uids", new JsonArray().add(a).add(b).add(c)),
        "oops").put("attachments", new JsonArray().add(gold(9)));
    Reply first = http(cluster.node(0), "POST", "/admin/mail", TestTokens.admin(), body, Map.of("Idempotency-Key", key));
    long sendId = first.body().getLong("sendId");
    Reply repeat = http(cluster.node(1), "POST", "/admin/mail", TestTokens.admin(), body, Map.of("Idempotency-Key", key));
    assertThat(repeat.body()).as("a repeat answers the same send").isEqualTo(first.body());
    long mailOfB = first.body().getJsonArray("mailIds").getLong(1);
    MailTesting.opSync(cluster.node(0), b, "mail.claim", id(mailOfB));

    Reply recalled = delete("/admin/sends/" + sendId);
    assertThat(recalled.status()).isEqualTo(200);
    assertThat(recalled.body()).isEqualTo(new JsonObject().put("recalled", 2).put("alreadyClaimed", 1));
    assertThat(delete("/admin/sends/" + sendId).body()).isEqualTo(new JsonObject().put("recalled", 0)
        .put("alreadyClaimed", 1));
    assertThat(delete("/admin/sends/" + (sendId + 1_000_000_000L)).status()).isEqualTo(404);
    for (long uid : List.of(a, c)) {
      assertThat(MailTesting.opSync(cluster.node(0), uid, "mail.list", new JsonObject()).getJsonArray("mails")).isEmpty();
    }
    assertThat(MailTesting.opSync(cluster.node(0), b, "mail.list", new JsonObject()).getJsonArray("mails")).hasSize(1);

    JsonArray audit = http(cluster.node(0), "GET", "/admin/audit?limit=100", TestTokens.admin(), null, Map.of())
        .body().getJsonArray("entries");
    assertThat(audit.stream().map(JsonObject.class::cast)
        .filter(e -> e.getString("action").equals("recall") && e.getString("target").startsWith("send " + sendId + ":"))
        .count()).isEqualTo(2);
  }
}
