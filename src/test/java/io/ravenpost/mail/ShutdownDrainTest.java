package io.ravenpost.mail;

import static io.ravenpost.mail.MailTesting.gold;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM while a claim is under way: the node refuses new requests, lets the claim commit and
 * answers it, and only then tells the player SHUTDOWN. The reward is granted once, not lost.
 */
class ShutdownDrainTest {
  @Test
  void aClaimUnderWayWhenTheNodeStopsIsAnsweredBeforeTheKick() {
    TestCluster cluster = TestCluster.start(1);
    Pool pool = MailTesting.pool(TestEnv.mysqlUri());
    try {
      RavenNode node = cluster.node(0);
      long uid = TestEnv.randomUid();
      long mailId = MailTesting.sendOne(node, uid, "reward", gold(7));
      TestClient player = TestClient.ws(node.wsPort());
      player.loginSync(TestTokens.player(uid));

      // Hold the mail's row so the claim is stuck inside its transaction when the stop begins.
      SqlConnection holder = Await.result(pool.getConnection());
      Transaction held = Await.result(holder.begin());
      Await.result(holder.preparedQuery("SELECT id FROM mailbox WHERE uid = ? AND id = ? FOR UPDATE")
          .execute(Tuple.of(uid, mailId)));
      Future<JsonObject> claim = player.call("mail.claim", MailTesting.id(mailId));
      Poll.until("the claim waits for the row", 10_000, () -> claimsWaiting(pool) > 0);

      Future<Void> stopped = node.stop();
      Poll.until("the stopping gate refuses new requests", 10_000,
          () -> Await.result(player.request("mail.unread", new JsonObject())
              .map(r -> !r.getBoolean("ok") && "UNAVAILABLE".equals(r.getJsonObject("error").getString("code")))));
      assertThat(claim.isComplete()).as("the claim is still under way").isFalse();
      assertThat(player.isClosed()).as("not kicked while a request is under way").isFalse();

      Await.result(held.commit());
      holder.close();

      JsonObject granted = Await.result(claim, 10_000);
      assertThat(granted.getJsonArray("attachments").getJsonObject(0).getLong("amount")).isEqualTo(7);
      JsonObject kicked = player.nextPush("session.kicked", 10_000);
      assertThat(kicked).isNotNull();
      assertThat(kicked.getJsonObject("body").getString("reason")).isEqualTo("SHUTDOWN");
      Await.result(stopped, 30_000);
      assertThat(MailTesting.outboxRow(pool, uid, mailId)).as("exactly one grant, kept for the relay").isNotNull();
    } finally {
      cluster.close();
      pool.close();
    }
  }

  private static long claimsWaiting(Pool pool) {
    return Await.result(pool.query("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() "
        + "AND INFO LIKE '%SET claimed_at%'").execute()).iterator().next().getLong(0);
  }
}
