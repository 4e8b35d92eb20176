package io.ravenpost.grants;

import static io.ravenpost.grants.GrantTesting.claimed;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.grants.GrantReceiver.Mode;
import io.ravenpost.mail.MailTesting;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Grants posted to a game server's webhook: signed, retried through refusals, time-outs, answers
 * lost after the receiver applied, and the death of a sending node, until each claimed attachment
 * is in the receiver's ledger exactly once, in grantId order per uid; and a receiver that is down
 * holds up neither claims nor readiness, and its grants end as dead letters an operator can resend.
 */
class GrantWebhookTest {
  static Pool db;

  @BeforeAll
  static void open() {
    db = MailTesting.pool(TestEnv.mysqlUri());
  }

  @AfterAll
  static void close() {
    Await.result(db.close());
  }

  @Test
  void everyClaimReachesTheLedgerOnceAndInOrderThroughFailuresAndANodeDeath() {
    try (GrantReceiver receiver = new GrantReceiver(); TestCluster cluster = TestCluster.start(2, receiver.config())) {
      receiver.mode = Mode.REFUSE;
      Map<Long, List<String>> expected = new LinkedHashMap<>();
      for (int u = 0; u < 4; u++) {
        long uid = TestEnv.randomUid();
        List<String> ids = new ArrayList<>();
        for (int g = 1; g <= 3; g++) {
          ids.add(claimed(cluster.node((u + g) % 2), uid, g));
        }
        expected.put(uid, ids);
      }
      awaitRequests(receiver, 3);
      assertThat(expected.keySet()).allMatch(uid -> receiver.applied(uid).isEmpty());

      receiver.mode = Mode.APPLY_AND_HANG;
      awaitRequests(receiver, 2);
      receiver.mode = Mode.APPLY_AND_FAIL;
      awaitRequests(receiver, 2);
      RavenNode survivor = cluster.node(1);
      cluster.crash(0);
      receiver.mode = Mode.OK;

      expected.forEach((uid, ids) -> Poll.until("uid " + uid + "'s grants acknowledged", 60_000,
          () -> ids.stream().allMatch(id -> delivered(uid, id))));
      expected.forEach((uid, ids) -> assertThat(receiver.applied(uid)).as("uid %s's ledger, in order", uid)
          .containsExactlyElementsOf(ids));
      assertThat(receiver.badSignatures()).isZero();
      assertThat(receiver.repeats()).as("grants sent again after the receiver applied them").isPositive();
      String metrics = MailTesting.text(survivor, "/metrics");
      assertThat(metrics).containsPattern("raven_grants_delivered_total\\{[^}]*via=\"webhook\"")
          .containsPattern("raven_grants_retried_total\\{");
    }
  }

  @Test
  void aPlayerWhoseGrantsTheGameRefusesHoldsUpNoOneElse() {
    try (GrantReceiver receiver = new GrantReceiver(); TestCluster cluster = TestCluster.start(1, receiver.config())) {
      RavenNode node = cluster.node(0);
      long stuck = TestEnv.randomUid();
      receiver.refusedUid = stuck;
      List<String> stuckIds = List.of(claimed(node, stuck, 1), claimed(node, stuck, 2));
      Map<Long, List<String>> others = new LinkedHashMap<>();
      for (int u = 0; u < 3; u++) {
        long uid = TestEnv.randomUid();
        others.put(uid, List.of(claimed(node, uid, 1), claimed(node, uid, 2)));
      }
      others.forEach((uid, ids) -> Poll.until("uid " + uid + "'s grants applied", 30_000,
          () -> receiver.applied(uid).equals(ids)));
      assertThat(receiver.applied(stuck)).isEmpty();
      assertThat(delivered(stuck, stuckIds.get(0))).isFalse();

      receiver.refusedUid = 0;
      Poll.until("the refused player's grants, once the game takes them", 30_000,
          () -> receiver.applied(stuck).equals(stuckIds));
    }
  }

  @Test
  void aReceiverThatIsDownDelaysNothingElseAndItsGrantsBecomeDeadLettersToResend() {
    GrantReceiver gone = new GrantReceiver();
    JsonObject cfg = gone.config();
    gone.close();
    cfg.getJsonObject("grants").put("retentionDays", 0.00003);
    try (TestCluster cluster = TestCluster.start(1, cfg)) {
      RavenNode node = cluster.node(0);
      long uid = TestEnv.randomUid();
      long started = System.currentTimeMillis();
      String id = claimed(node, uid, 5);
      assertThat(System.currentTimeMillis() - started).as("send and claim answered without the receiver")
          .isLessThan(5000);
      assertThat(TestHttp.get(node.adminPort(), "/health/ready", null).status()).isEqualTo(200);

      JsonObject dead = Poll.until("the grant is dead-lettered", 30_000, () -> deadLetter(node, id));
      assertThat(dead.getString("lastError")).contains("no connection");
      assertThat(dead.getInteger("attempts")).isPositive();
      String metrics = MailTesting.text(node, "/metrics");
      assertThat(metrics).containsPattern("raven_grants_failed_total\\{[^}]*reason=\"connection\"")
          .contains("raven_grants_dead_lettered_total").contains("raven_grants_oldest_unacked_seconds");
      assertThat(TestHttp.get(node.adminPort(), "/health/ready", null).status()).isEqualTo(200);

      TestHttp.Response resent = TestHttp.post(node.adminPort(), "/admin/grants/" + id + "/resend",
          TestTokens.admin(), null);
      assertThat(resent.status()).as(resent.body()).isEqualTo(204);
      JsonObject audit = TestHttp.get(node.adminPort(), "/admin/audit?limit=20", TestTokens.admin()).json();
      assertThat(audit.getJsonArray("entries").stream().map(e -> (JsonObject) e))
          .anyMatch(e -> "grant.resend".equals(e.getString("action")) && e.getString("target").contains(id));
      assertThat(TestHttp.post(node.adminPort(), "/admin/grants/" + id + "/resend", TestTokens.admin(), null)
          .status()).as("offered again: not a dead letter now").isEqualTo(404);
    }
  }

  private static JsonObject deadLetter(RavenNode node, String grantId) {
    TestHttp.Response r = TestHttp.get(node.adminPort(), "/admin/grants/dead?limit=1000", TestTokens.admin());
    return r.json().getJsonArray("grants").stream().map(g -> (JsonObject) g)
        .filter(g -> grantId.equals(g.getString("grantId"))).findFirst().orElse(null);
  }

  private static boolean delivered(long uid, String grantId) {
    return MailTesting.outboxRow(db, uid, GrantTesting.mailId(grantId)).getBoolean("delivered");
  }

  private static void awaitRequests(GrantReceiver receiver, int more) {
    int target = receiver.requests() + more;
    Poll.until(more + " more webhook requests in mode " + receiver.mode, 30_000, () -> receiver.requests() >= target);
  }
}
