package io.ravenpost.mail.global;

import static io.ravenpost.mail.MailTesting.eventually;
import static io.ravenpost.mail.global.GlobalTesting.globalMail;
import static io.ravenpost.mail.global.GlobalTesting.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.mail.global.TestRedis;
import io.ravenpost.mail.global.store.GlobalKeys;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker killed after it took uids from the login queue: those uids sit in the in-flight set
 * until their deadline, the requeue job puts them back, and a surviving worker distributes to
 * every one of them, exactly once.
 */
class GlobalWorkerCrashTest {
  static Scratch db;
  static TestCluster cluster;
  static TestRedis redis;

  @BeforeAll
  static void start() {
    db = new Scratch();
    cluster = TestCluster.start(2, db.overrides(new JsonObject()
        .put("scheduler", new JsonObject().put("globalRequeueMs", 24L * 3600 * 1000))
        .put("global", new JsonObject().put("loginCatchUpMs", 0).put("catchUpOnRead", false)
            .put("workers", 1).put("workerBatch", 4).put("inflightMs", 1500))));
    redis = new TestRedis(cluster.redisPrefix());
  }

  @AfterAll
  static void stop() {
    redis.close();
    cluster.close();
    db.close();
  }

  @Test
  void uidsHeldByAKilledWorkerAreDistributedAfterTheRequeueJob() {
    long base = TestEnv.randomUid();
    long dayAgo = System.currentTimeMillis() / 1000 - 86_400;
    db.seedUsers(base, 20, dayAgo);
    List<Long> uids = LongStream.range(base, base + 20).boxed().toList();
    long g = GlobalTesting.send(cluster.node(0), globalMail(target("all"), "survives a crash"));

    // Hold every player's cursor row, so each worker blocks inside the batch it took.
    SqlConnection conn = Await.result(db.pool.getConnection());
    Transaction tx = Await.result(conn.begin());
    for (Long u : uids) {
      Await.result(conn.preparedQuery("INSERT INTO global_mail_cursor (uid, last_id, updated_at) VALUES (?, 0, 0)")
          .execute(Tuple.of(u)));
    }
    // All queued at once, as twenty logins would (same script), so each worker takes a full batch.
    List<String> args = new ArrayList<>(List.of(GlobalKeys.ENQUEUE, "2", cluster.redisPrefix() + "gmail:queue",
        cluster.redisPrefix() + "gmail:wake", Long.toString(System.currentTimeMillis())));
    uids.forEach(u -> args.add(Long.toString(u)));
    Await.result(redis.api.eval(args));
    eventually("both workers hold a batch of 4", 10_000,
        () -> redis.zcard("gmail:inflight") == 8 && redis.zcard("gmail:queue") == 12);

    cluster.crash(1);
    Await.result(tx.rollback());
    conn.close();
    eventually("the survivor drained the queue; the dead worker's batch stays in flight", 20_000,
        () -> redis.zcard("gmail:queue") == 0 && redis.zcard("gmail:inflight") == 4);
    List<Long> orphans = redis.members("gmail:inflight").stream().map(Long::parseLong).toList();
    assertThat(db.copies(g, orphans)).as("not distributed yet")
        .allSatisfy((u, n) -> assertThat(n).as("uid %d", u).isZero());

    eventually("requeued once past the deadline", 20_000,
        () -> GlobalTesting.tryRunJob(cluster.node(0), "global-requeue") && redis.zcard("gmail:inflight") == 0);
    eventually("every popped uid distributed", 10_000,
        () -> db.copies(g, uids).values().stream().allMatch(n -> n == 1));
    assertThat(db.copies(g, uids)).allSatisfy((u, n) -> assertThat(n).as("uid %d", u).isEqualTo(1));
  }
}
