package io.ravenpost.mail.global;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The {@code global-resume} job finishes what a dead node left of an {@code online} send: a send it
 * created but never broadcast (the players online at send time are told and get one copy; a player
 * who logged in after gets nothing), and a recipient record whose copies it never wrote. A send
 * whose node is alive is left to it.
 */
class GlobalOnlineResumeTest {
  private static final long DAY_MS = 86_400_000L;

  /** The row an online send leaves when its node dies right after creating it: ids reserved, nothing sent. */
  private static long orphanedSend(Scratch db, String owner, long createdAt) {
    db.execute("INSERT INTO mailbox (uid, kind, sender, title, body, created_at, expires_at, deleted_at) "
        + "VALUES (0, 'reserved', 'system', '', '', ?, ?, ?)", createdAt, createdAt, createdAt);
    long reserved = db.count("SELECT LAST_INSERT_ID()");
    db.execute("INSERT INTO global_mail (target_type, sender, title, body, starts_at, expires_at, created_at, "
            + "sending_node, mail_ids) VALUES ('online', 'system', 'left behind', 'b', ?, ?, ?, ?, ?)",
        createdAt, createdAt + DAY_MS, createdAt, owner, new JsonArray().add(reserved).encode());
    return db.count("SELECT MAX(id) FROM global_mail");
  }

  private static long copies(Scratch db, long id, long uid) {
    return db.count("SELECT COUNT(*) FROM mailbox WHERE global_id = ? AND uid = ?", id, uid);
  }

  @Test
  void aSendADeadNodeNeverBroadcastIsToldToThePlayersOnlineAtSendTimeOnce() throws Exception {
    try (Scratch db = new Scratch();
         TestCluster cluster = TestCluster.start(1, db.overrides(new JsonObject()))) {
      RavenNode node = cluster.node(0);
      long dayAgo = System.currentTimeMillis() / 1000 - 86_400;
      long a = TestEnv.randomUid();
      long late = a + 1;
      TestClient online = GlobalTesting.login(node, GlobalTesting.token(a, dayAgo));
      long id = orphanedSend(db, "nd-died~1", System.currentTimeMillis());
      TestClient after = GlobalTesting.login(node, GlobalTesting.token(late, dayAgo));

      GlobalTesting.runJob(node, "global-resume");

      JsonObject push = online.nextPush("mail.new", 5000);
      assertThat(push).as("a was online at send time").isNotNull();
      long mailId = push.getJsonObject("body").getJsonObject("mail").getLong("mailId");
      JsonObject opened = online.callSync("mail.open", new JsonObject().put("mailId", mailId));
      assertThat(opened.getJsonObject("mail").getString("title")).isEqualTo("left behind");
      assertThat(copies(db, id, a)).isEqualTo(1);
      assertThat(after.nextPush("mail.new", 500)).as("the later login is not told").isNull();
      assertThat(copies(db, id, late)).isZero();
      assertThat(db.rows("SELECT sent_at FROM global_mail WHERE id = ?", id).get(0).getLong("sent_at")).isNotNull();

      GlobalTesting.runJob(node, "global-resume");
      assertThat(online.nextPush("mail.new", 500)).as("nobody is told twice").isNull();
      assertThat(copies(db, id, a)).isEqualTo(1);
      List.of(online, after).forEach(TestClient::close);
    }
  }

  @Test
  void aRecipientRecordWhoseWriterDiedIsWrittenOnceAndASendWithALiveOwnerIsLeftToIt() {
    try (Scratch db = new Scratch();
         TestCluster cluster = TestCluster.start(1, db.overrides(new JsonObject()))) {
      RavenNode node = cluster.node(0);
      long now = System.currentTimeMillis();
      long id = orphanedSend(db, node.nodeId(), now);
      long a = TestEnv.randomUid();
      long b = a + 1;
      Buffer uids = Buffer.buffer().appendLong(a).appendLong(b);
      db.execute("INSERT INTO global_online_recipients (global_id, gate_node, uids, players, recorded_at, owner) "
          + "VALUES (?, 'gate-died~1', ?, 2, ?, 'nd-died~1')", id, uids, now);

      GlobalTesting.runJob(node, "global-resume");

      assertThat(copies(db, id, a)).isEqualTo(1);
      assertThat(copies(db, id, b)).isEqualTo(1);
      assertThat(db.count("SELECT COUNT(*) FROM global_online_recipients WHERE global_id = ? AND done_at IS NOT NULL",
          id)).isEqualTo(1);
      assertThat(db.rows("SELECT sent_at FROM global_mail WHERE id = ?", id).get(0).getLong("sent_at"))
          .as("the owner holds its lease: nobody else broadcasts its send").isNull();
      GlobalTesting.runJob(node, "global-resume");
      assertThat(db.count("SELECT COUNT(*) FROM mailbox WHERE global_id = ?", id)).isEqualTo(2);
      Await.result(cluster.node(0).online().lookup(a));
    }
  }
}
