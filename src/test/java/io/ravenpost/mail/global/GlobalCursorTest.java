package io.ravenpost.mail.global;

import static io.ravenpost.mail.MailTesting.op;
import static io.ravenpost.mail.global.GlobalTesting.globalMail;
import static io.ravenpost.mail.global.GlobalTesting.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.mail.global.TestRedis;
import io.ravenpost.mail.global.store.GlobalKeys;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A player's distribution cursor only passes global mail MySQL has confirmed: a mail the id ZSET
 * lost (a Redis failover that dropped one ZADD and kept the next) and a mail whose id reached the
 * ZSET before its create committed are both delivered, never skipped for good.
 */
class GlobalCursorTest {
  static Scratch db;
  static TestCluster cluster;
  static TestRedis redis;

  @BeforeAll
  static void start() {
    db = new Scratch();
    cluster = TestCluster.start(1, db.overrides(new JsonObject()
        .put("scheduler", new JsonObject().put("globalRepairMs", 24L * 3600 * 1000))
        .put("global", new JsonObject().put("loginCatchUpMs", 0).put("workers", 0).put("pushesPerPlayer", 2))));
    redis = new TestRedis(cluster.redisPrefix());
  }

  @AfterAll
  static void stop() {
    redis.close();
    cluster.close();
    db.close();
  }

  private static RavenNode node() {
    return cluster.node(0);
  }

  private static long player() {
    long uid = TestEnv.randomUid();
    db.seedUsers(uid, 1, System.currentTimeMillis() / 1000 - 86_400);
    return uid;
  }

  /** Distribute on read, as a client's mail.unread does. */
  private static void read(long uid) {
    Await.result(op(node(), uid, "mail.unread", new JsonObject()), 30_000);
  }

  private static long copies(long globalId, long uid) {
    return db.copies(globalId, List.of(uid)).get(uid);
  }

  /**
   * A distribution's pushes travel to the gate as one message per node: an online player is told
   * the newest {@code pushesPerPlayer} copies, oldest of them first, each once, with the count
   * that includes every copy.
   */
  @Test
  void aDistributionTellsAnOnlinePlayerItsNewestCopiesInOrderOnce() {
    long uid = player();
    TestClient c = GlobalTesting.login(node(), GlobalTesting.token(uid, System.currentTimeMillis() / 1000 - 86_400));
    List<String> titles = List.of("told 1", "told 2", "told 3");
    titles.forEach(t -> GlobalTesting.send(node(), globalMail(target("all"), t)));

    long unread = c.callSync("mail.unread", new JsonObject()).getLong("unread");
    // Other tests' "all" mails reach this player too, in the same distribution.
    long copies = db.count("SELECT COUNT(*) FROM mailbox WHERE uid = ?", uid);
    assertThat(copies).isGreaterThanOrEqualTo(3);
    assertThat(unread).as("read after a distribution on read").isEqualTo(copies);
    for (String t : List.of("told 2", "told 3")) {
      JsonObject push = c.nextPush("mail.new", 5000);
      assertThat(push).as("mail.new for %s", t).isNotNull();
      assertThat(push.getJsonObject("body").getJsonObject("mail").getString("title")).isEqualTo(t);
      assertThat(push.getJsonObject("body").getLong("unread")).isEqualTo(copies);
    }
    assertThat(c.nextPush("mail.new", 500)).as("no more than pushesPerPlayer, none twice").isNull();
    c.close();
  }

  /**
   * Copies go in with a plain INSERT (no AUTO-INC table lock); a copy that is somehow already
   * there (here: a cursor restored to an old value) must not fail the distribution or be doubled.
   */
  @Test
  void aCopyAlreadyThereBehindTheCursorIsKeptAndTheRestStillArrives() {
    long uid = player();
    long first = GlobalTesting.send(node(), globalMail(target("all"), "first"));
    long second = GlobalTesting.send(node(), globalMail(target("all"), "second"));
    read(uid);
    assertThat(copies(first, uid)).isEqualTo(1);
    assertThat(copies(second, uid)).isEqualTo(1);
    db.execute("UPDATE global_mail_cursor SET last_id = 0 WHERE uid = ?", uid);
    long third = GlobalTesting.send(node(), globalMail(target("all"), "third"));

    JsonObject unread = Await.result(op(node(), uid, "mail.unread", new JsonObject()), 30_000);
    assertThat(copies(third, uid)).isEqualTo(1);
    assertThat(copies(first, uid)).isEqualTo(1);
    assertThat(copies(second, uid)).isEqualTo(1);
    assertThat(unread.getLong("unread")).isEqualTo(3);
    assertThat(db.count("SELECT last_id FROM global_mail_cursor WHERE uid = ?", uid)).isEqualTo(third);
  }

  @Test
  void anIdTheZsetLostIsStillDeliveredAndNotPassed() {
    long uid = player();
    long lost = GlobalTesting.send(node(), globalMail(target("all"), "lost zadd"));
    long kept = GlobalTesting.send(node(), globalMail(target("all"), "kept zadd"));
    GlobalTesting.runJob(node(), "global-repair");
    assertThat(redis.members("gmail:ids")).contains(GlobalKeys.COMPLETE);
    Await.result(redis.api.zrem(List.of(cluster.redisPrefix() + "gmail:ids", Long.toString(lost))));

    read(uid);
    assertThat(copies(kept, uid)).isEqualTo(1);
    assertThat(copies(lost, uid)).as("the mail the ZSET lost, below one it kept").isEqualTo(1);
    read(uid);
    assertThat(copies(lost, uid)).isEqualTo(1);
  }

  @Test
  void anIdWhoseCreateHasNotCommittedIsWaitedForNotPassed() throws Exception {
    long uid = player();
    GlobalTesting.runJob(node(), "global-repair");
    long now = System.currentTimeMillis();
    SqlConnection conn = Await.result(db.pool.getConnection());
    Transaction tx = Await.result(conn.begin());
    try {
      // A create that got as far as its ZADD (the body write is lost) and has not committed yet.
      Await.result(conn.preparedQuery("INSERT INTO global_mail (target_type, sender, title, body, starts_at, "
          + "expires_at, created_at) VALUES ('all', 'system', 'slow create', 'b', ?, ?, ?)")
          .execute(Tuple.of(now, now + 86_400_000L, now)));
      long id = Await.result(conn.query("SELECT LAST_INSERT_ID()").execute()).iterator().next().getLong(0);
      Await.result(redis.api.zadd(List.of(cluster.redisPrefix() + "gmail:ids", Long.toString(id), Long.toString(id))));

      Future<JsonObject> reading = op(node(), uid, "mail.unread", new JsonObject());
      TimeUnit.MILLISECONDS.sleep(500);
      assertThat(reading.isComplete()).as("the distribution waits for the create's commit").isFalse();
      Await.result(tx.commit());
      Await.result(reading, 30_000);
      assertThat(copies(id, uid)).isEqualTo(1);
      read(uid);
      assertThat(copies(id, uid)).isEqualTo(1);
    } finally {
      conn.close();
    }
  }
}
