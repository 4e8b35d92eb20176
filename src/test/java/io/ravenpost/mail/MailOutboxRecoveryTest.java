package io.ravenpost.mail;

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
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.mail.MailTesting.GrantSink;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A committed grant survives a crash before publish, and is re-sent until a consumer acknowledges. */
class MailOutboxRecoveryTest {
  static Pool db;

  @BeforeAll
  static void open() {
    db = MailTesting.pool(TestEnv.mysqlUri());
  }

  @AfterAll
  static void close() {
    Await.result(db.close());
  }

  private static JsonObject fastRelay(boolean enabled) {
    return new JsonObject()
        .put("mail", new JsonObject().put("relayEnabled", enabled).put("relayLeaseMs", 1000)
            .put("grantTimeoutMs", 300).put("expiryPolicy", "grant"))
        .put("scheduler", new JsonObject().put("mailRelayMs", 200));
  }

  @Test
  void aGrantCommittedOnANodeThatDiesBeforePublishingIsPublishedOnceAfterRestart() {
    try (TestCluster cluster = TestCluster.start(1, fastRelay(false))) {
      long uid = TestEnv.randomUid();
      long mailId = sendOne(cluster.node(0), uid, "survives a crash", gold(42));
      assertThat(opSync(cluster.node(0), uid, "mail.claim", id(mailId)).getJsonArray("attachments"))
          .isEqualTo(new JsonArray().add(gold(42)));
      JsonObject row = outboxRow(db, uid, mailId);
      assertThat(row).as("outbox row committed with the claim").isNotNull();
      assertThat(row.getBoolean("delivered")).isFalse();

      cluster.crash(0);
      RavenNode restarted = cluster.addNode(fastRelay(true));
      try (GrantSink grants = new GrantSink(restarted)) {
        eventually("the grant is published after restart", 10_000, () -> grants.forUid(uid).size() == 1);
        eventually("the outbox row is marked delivered", 5000,
            () -> outboxRow(db, uid, mailId).getBoolean("delivered"));
        runJob(restarted, "mail-outbox-relay");
        runJob(restarted, "mail-outbox-relay");
        assertThat(grants.byGrantId).containsEntry(uid + "-" + mailId, 1);
        assertThat(grants.forUid(uid).get(0).getString("reason")).isEqualTo("claim");
        assertThat(opError(restarted, uid, "mail.claim", id(mailId))).isEqualTo(ErrorCode.ALREADY_CLAIMED);
      }
    }
  }

  @Test
  void aGrantIsResentUntilAcknowledgedAndExpiryGrantsWhatWasLeftUnclaimed() {
    try (TestCluster cluster = TestCluster.start(1, fastRelay(true))) {
      RavenNode node = cluster.node(0);
      // A consumer that loses the first delivery of every grant (no reply), then acknowledges.
      Map<String, Integer> deliveries = new ConcurrentHashMap<>();
      List<JsonObject> acked = new CopyOnWriteArrayList<>();
      MessageConsumer<JsonObject> flaky = node.context().vertx().eventBus().consumer(MailAddresses.REWARD_GRANT.address(), m -> {
        if (deliveries.merge(m.body().getString("grantId"), 1, Integer::sum) > 1) {
          acked.add(m.body());
          m.reply(new JsonObject());
        }
      });
      Await.result(flaky.completion());

      long uid = TestEnv.randomUid();
      long claimed = sendOne(node, uid, "claimed", gold(1));
      long left = MailTesting.adminSend(node, mail(users(uid), "left unclaimed").put("ttlSeconds", 1)
          .put("attachments", new JsonArray().add(gold(2)))).get(0);
      opSync(node, uid, "mail.claim", id(claimed));
      eventually("the claim's grant is acknowledged on its second delivery", 10_000,
          () -> acked.stream().anyMatch(g -> g.getLong("mailId") == claimed));
      eventually("its outbox row is delivered", 5000, () -> outboxRow(db, uid, claimed).getBoolean("delivered"));
      assertThat(outboxRow(db, uid, claimed).getInteger("attempts")).isGreaterThanOrEqualTo(2);

      eventually("the short mail expires", 5000,
          () -> MailTesting.outcome(node, uid, "mail.open", id(left)) == ErrorCode.MAIL_EXPIRED);
      runJob(node, "mail-expiry");
      eventually("expiry grants the unclaimed attachments", 10_000,
          () -> acked.stream().anyMatch(g -> g.getLong("mailId") == left));
      JsonObject g = acked.stream().filter(x -> x.getLong("mailId") == left).findFirst().orElseThrow();
      assertThat(g.getString("reason")).isEqualTo("expiry");
      assertThat(g.getJsonArray("attachments")).isEqualTo(new JsonArray().add(gold(2)));
      assertThat(opError(node, uid, "mail.open", id(left))).isEqualTo(ErrorCode.NOT_FOUND);
      assertThat(acked.stream().filter(x -> x.getLong("uid") == uid).count()).isEqualTo(2);
      Await.result(flaky.unregister());
    }
  }
}
