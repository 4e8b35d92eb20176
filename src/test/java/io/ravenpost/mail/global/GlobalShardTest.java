package io.ravenpost.mail.global;

import static io.ravenpost.mail.MailTesting.eventually;
import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.MailTesting.op;
import static io.ravenpost.mail.global.GlobalTesting.globalMail;
import static io.ravenpost.mail.global.GlobalTesting.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Global mail over two databases: the row on the primary, copies and cursors on each player's
 * shard, counts summed over both, and the retraction guard held on the primary while a player's
 * distribution commits on the other database.
 */
class GlobalShardTest {
  static Scratch primary;
  static Scratch other;
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    primary = new Scratch();
    other = new Scratch();
    cluster = TestCluster.start(1, new JsonObject()
        .put("mysql", new JsonObject().put("shards", new JsonArray().add(primary.uri).add(other.uri)))
        .put("global", new JsonObject().put("loginCatchUpMs", 0)));
  }

  @AfterAll
  static void stop() {
    cluster.close();
    other.close();
    primary.close();
  }

  private static Scratch shardOf(long uid) {
    return uid % 2 == 0 ? primary : other;
  }

  @Test
  void copiesLandOnEachPlayersShardAndRetractionHoldsAcrossDatabases() throws Exception {
    RavenNode node = cluster.node(0);
    long dayAgo = System.currentTimeMillis() / 1000 - 86_400;
    long base = TestEnv.randomUid() / 2 * 2;
    List<Long> uids = new ArrayList<>();
    for (long u = base; u < base + 12; u++) {
      shardOf(u).seedUsers(u, 1, dayAgo);
      uids.add(u);
    }
    List<Long> readers = uids.subList(0, 10);
    long stuck = uids.get(11);
    assertThat(shardOf(stuck)).isSameAs(other);

    long g = GlobalTesting.send(node, globalMail(target("all_to_date"), "two databases"));
    List<Future<JsonObject>> reads = new ArrayList<>();
    readers.forEach(u -> reads.add(op(node, u, "mail.unread", new JsonObject())));
    Await.result(Future.all(reads));
    for (Long u : readers) {
      assertThat(shardOf(u).copies(g, List.of(u)).get(u)).as("uid %d on its shard", u).isEqualTo(1);
      assertThat((shardOf(u) == primary ? other : primary).copies(g, List.of(u)).get(u)).isZero();
      assertThat(shardOf(u).count("SELECT last_id FROM global_mail_cursor WHERE uid = ?", u)).isEqualTo(g);
    }
    assertThat(other.count("SELECT COUNT(*) FROM global_mail")).as("global mail rows live on the primary").isZero();
    Reply page = http(node, "GET", "/admin/global-mail", TestTokens.admin(), null, Map.of());
    assertThat(page.body().getJsonArray("mails").getJsonObject(0).getLong("delivered")).isEqualTo(10);

    long r = GlobalTesting.send(node, globalMail(target("all"), "retracted across databases"));
    SqlConnection conn = Await.result(other.pool.getConnection());
    Transaction tx = Await.result(conn.begin());
    Await.result(conn.preparedQuery("INSERT INTO mailbox (uid, kind, sender, title, body, global_id, created_at, "
        + "expires_at) VALUES (?, 'global', 'x', 'x', 'x', ?, 0, 0)").execute(Tuple.of(stuck, r)));
    Future<JsonObject> stuckRead = op(node, stuck, "mail.unread", new JsonObject());
    eventually("the distribution on the other database waits to insert", 10_000,
        () -> running(other, "INSERT INTO mailbox%") == 1);
    Future<Reply> delete = TestClient.vertx().executeBlocking(() -> http(node, "DELETE", "/admin/global-mail/" + r,
        TestTokens.admin(), null, Map.of()));
    eventually("DELETE waits for the guard held on the primary", 10_000,
        () -> running(primary, "UPDATE global_mail SET deleted_at%") == 1);
    assertThat(delete.isComplete()).isFalse();
    Await.result(tx.rollback());
    conn.close();
    assertThat(Await.result(delete, 30_000).status()).isEqualTo(204);
    Await.result(stuckRead);
    assertThat(other.copies(r, List.of(stuck)).get(stuck)).as("committed before the DELETE").isEqualTo(1);
    assertThat(other.liveCopies(r, List.of(stuck))).as("and withdrawn by it").isZero();
  }

  private static long running(Scratch db, String like) {
    return db.count("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE ?", db.name, like);
  }
}
