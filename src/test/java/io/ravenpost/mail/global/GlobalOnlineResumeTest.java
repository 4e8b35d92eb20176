package io.ravenpost.mail.global;

import static io.ravenpost.mail.global.GlobalTesting.globalMail;
import static io.ravenpost.mail.global.GlobalTesting.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An {@code online} send whose node died mid-walk is finished by the {@code global-resume} job:
 * the players online at send time that the walk had not reached get their copy and a push, those
 * already served get nothing twice, and those who logged in after the send get nothing.
 */
class GlobalOnlineResumeTest {
  @Test
  void anOnlineSendADeadNodeLeftIsFinishedOnceForThePlayersOnlineAtSendTime() throws Exception {
    try (Scratch db = new Scratch();
         TestCluster cluster = TestCluster.start(1, db.overrides(new JsonObject()))) {
      RavenNode node = cluster.node(0);
      long dayAgo = System.currentTimeMillis() / 1000 - 86_400;
      long a = TestEnv.randomUid();
      long b = a + 1;
      long c = a + 2;
      TestClient served = GlobalTesting.login(node, GlobalTesting.token(a, dayAgo));
      long id = GlobalTesting.send(node, globalMail(target("online"), "online compensation"));
      GlobalTesting.awaitSent(node, id);
      assertThat(served.nextPush("mail.new", 5000)).as("a is told at send time").isNotNull();
      assertThat(db.rows("SELECT sending_node, sent_at FROM global_mail WHERE id = ?", id).get(0).getLong("sent_at"))
          .as("a finished walk is marked sent").isNotNull();
      assertThat(db.count("SELECT COUNT(*) FROM mailbox WHERE global_id = ? AND uid = ?", id, a)).isEqualTo(1);

      // The state a node leaves when it dies after serving a but before reaching b: the row says
      // a walk by that node is under way, and b was online when the mail was sent.
      TestClient missed = GlobalTesting.login(node, GlobalTesting.token(b, dayAgo));
      long sentAt = System.currentTimeMillis();
      Thread.sleep(5);
      db.execute("UPDATE global_mail SET sending_node = 'nd-died', sent_at = NULL, created_at = ? WHERE id = ?",
          sentAt, id);
      TestClient late = GlobalTesting.login(node, GlobalTesting.token(c, dayAgo));

      GlobalTesting.runJob(node, "global-resume");

      assertThat(db.count("SELECT COUNT(*) FROM mailbox WHERE global_id = ? AND uid = ?", id, b))
          .as("b was online at send time").isEqualTo(1);
      assertThat(db.count("SELECT COUNT(*) FROM mailbox WHERE global_id = ? AND uid = ?", id, a))
          .as("a is not served twice").isEqualTo(1);
      assertThat(db.count("SELECT COUNT(*) FROM mailbox WHERE global_id = ? AND uid = ?", id, c))
          .as("c logged in after the send").isZero();
      JsonObject push = missed.nextPush("mail.new", 5000);
      assertThat(push).as("b is told at once").isNotNull();
      assertThat(push.getJsonObject("body").getJsonObject("mail").getString("title")).isEqualTo("online compensation");
      var row = db.rows("SELECT sending_node, sent_at FROM global_mail WHERE id = ?", id).get(0);
      assertThat(row.getString("sending_node")).isEqualTo(node.nodeId());
      assertThat(row.getLong("sent_at")).isNotNull();

      assertThat(served.nextPush("mail.new", 300)).as("a is not told twice").isNull();

      GlobalTesting.runJob(node, "global-resume");
      assertThat(db.count("SELECT COUNT(*) FROM mailbox WHERE global_id = ?", id)).isEqualTo(2);
      List.of(served, missed, late).forEach(TestClient::close);
    }
  }

  @Test
  void aWalkWhoseNodeIsAliveIsLeftToIt() {
    try (Scratch db = new Scratch();
         TestCluster cluster = TestCluster.start(1, db.overrides(new JsonObject()))) {
      RavenNode node = cluster.node(0);
      long uid = TestEnv.randomUid();
      TestClient online = GlobalTesting.login(node, GlobalTesting.token(uid, System.currentTimeMillis() / 1000));
      long id = GlobalTesting.send(node, globalMail(target("online"), "still being sent"));
      GlobalTesting.awaitSent(node, id);
      db.execute("DELETE FROM mailbox WHERE global_id = ?", id);
      db.execute("UPDATE global_mail SET sent_at = NULL, created_at = ? WHERE id = ?", System.currentTimeMillis(), id);

      GlobalTesting.runJob(node, "global-resume");

      assertThat(db.count("SELECT COUNT(*) FROM mailbox WHERE global_id = ?", id))
          .as("the owner holds its lease: nobody else walks").isZero();
      assertThat(db.rows("SELECT sent_at FROM global_mail WHERE id = ?", id).get(0).getLong("sent_at")).isNull();
      online.close();
    }
  }
}
