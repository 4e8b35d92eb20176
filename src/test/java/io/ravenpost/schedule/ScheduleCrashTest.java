package io.ravenpost.schedule;

import static io.ravenpost.schedule.ScheduleTesting.DAILY;
import static io.ravenpost.schedule.ScheduleTesting.DAY_MS;
import static io.ravenpost.schedule.ScheduleTesting.body;
import static io.ravenpost.schedule.ScheduleTesting.dueAt;
import static io.ravenpost.schedule.ScheduleTesting.latestDaily;
import static io.ravenpost.schedule.ScheduleTesting.mailIds;
import static io.ravenpost.schedule.ScheduleTesting.runs;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.MailTesting;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node killed in the middle of a run: its send was stored, but it died before it recorded the run.
 * Once its claim's lease has passed, another node takes the run over and sends it again with the
 * run's idempotency key: the player has one mail, the run is recorded once with that mail's id, and
 * the audit trail shows the first send and the repeat answered from its key.
 */
class ScheduleCrashTest {
  static ScheduleTesting.Bed bed;
  static Pool pool;

  @BeforeAll
  static void start() {
    bed = new ScheduleTesting.Bed(1);
    pool = MailTesting.pool(bed.db.uri());
    // The node that dies only runs jobs: its run's send is stored by the mail role of node 0.
    bed.cluster.addNode(new JsonObject().put("node", new JsonObject().put("roles", new JsonArray().add("scheduler"))));
  }

  @AfterAll
  static void stop() {
    Await.result(pool.close());
    bed.close();
  }

  @Test
  void aRunWhoseNodeDiesMidRunIsFinishedOnceByAnotherNode() {
    RavenNode survivor = bed.node(0);
    long uid = TestEnv.randomUid();
    String title = "Survives its node " + uid;
    long id = ScheduleTesting.create(survivor, body("crash", DAILY, MailTesting.mail(MailTesting.users(uid), title)));
    long runAt = latestDaily(System.currentTimeMillis());
    dueAt(bed.db, id, runAt);

    // The run's record is held by the test: the dying node's send goes through, then the statement
    // that would record the run waits on this lock, and the node is killed right there.
    SqlConnection conn = Await.result(pool.getConnection());
    Transaction tx = Await.result(conn.begin());
    Await.result(conn.preparedQuery("INSERT INTO schedule_runs (schedule_id, run_at, status, finished_at) "
        + "VALUES (?, ?, 'held', 0)").execute(Tuple.of(id, runAt)));
    ScheduleConfig shortLease = ScheduleTesting.config(1500, 100, 100);
    ScheduleTesting.runner(bed.node(1), shortLease, System::currentTimeMillis).runDue();
    Poll.until("the dying node's send stored and its record of the run waiting", 20_000,
        () -> mailIds(survivor, uid, title).size() == 1 && recordsWaiting() == 1);
    long mailId = mailIds(survivor, uid, title).get(0);

    bed.cluster.crash(1);
    Await.result(tx.rollback());
    conn.close();
    assertThat(runs(bed.db, id)).as("nothing recorded by the dead node").isEmpty();

    ScheduleRunner taker = ScheduleTesting.runner(survivor, shortLease, System::currentTimeMillis);
    Poll.until("the run taken over and recorded after the lease", 30_000, () -> {
      Await.result(taker.runDue(), 40_000);
      return runs(bed.db, id, "sent").size() == 1;
    });

    assertThat(mailIds(survivor, uid, title)).as("one mail: the repeat sent nothing new").containsExactly(mailId);
    List<Row> recorded = runs(bed.db, id);
    assertThat(recorded).hasSize(1);
    assertThat(new JsonObject(recorded.get(0).getString("result")).getJsonArray("mailIds").getLong(0))
        .isEqualTo(mailId);
    JsonObject s = ScheduleTesting.get(survivor, id);
    assertThat(s.getLong("lastRunAt")).isEqualTo(runAt);
    assertThat(s.getLong("nextRunAt")).isEqualTo(runAt + DAY_MS);
    assertThat(s.getValue("pendingRunAt")).isNull();
    List<String> trail = TestHttp.get(survivor.adminPort(), "/admin/audit?actor=schedule:" + id, TestTokens.admin())
        .json().getJsonArray("entries").stream().map(JsonObject.class::cast)
        .map(e -> e.getString("action") + " " + e.getString("result")).toList();
    assertThat(trail).containsExactly("send replayed", "send ok");
  }

  /** Statements of the scratch database's clients that are recording a run right now (waiting on the held row). */
  private static long recordsWaiting() {
    return Await.result(pool.preparedQuery("SELECT COUNT(*) FROM information_schema.processlist WHERE db = ? "
        + "AND info LIKE 'INSERT INTO schedule_runs%'").execute(Tuple.of(bed.db.name))).iterator().next().getLong(0);
  }
}
