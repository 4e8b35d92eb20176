package io.ravenpost.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.MailTesting;
import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/** Helpers of the schedule tests. */
final class ScheduleTesting {
  /** Every day at 03:00 UTC: a run never comes due by itself while a test runs, unless made due. */
  static final String DAILY = "0 3 * * *";
  static final long DAY_MS = 86_400_000L;
  /** Node overrides that keep the schedules job's own timer out of the way: tests run it when they mean to. */
  static final JsonObject NO_TIMER = new JsonObject().put("scheduler", new JsonObject().put("schedulesMs", DAY_MS));

  private ScheduleTesting() {
  }

  /**
   * Nodes on a scratch database of their own (every node with the scheduler role runs the schedules
   * it finds, so schedules left in a shared database would be run by other tests' nodes), with the
   * schedules job's own timer off.
   */
  static final class Bed implements AutoCloseable {
    final Scratch db = new Scratch();
    final TestCluster cluster;

    Bed(int nodes) {
      cluster = TestCluster.start(nodes, db.overrides(NO_TIMER.copy()));
    }

    RavenNode node(int i) {
      return cluster.node(i);
    }

    @Override
    public void close() {
      cluster.close();
      db.close();
    }
  }

  /** A {@code POST /admin/mail} body to one player. */
  static JsonObject mailTo(long uid, String title) {
    return MailTesting.mail(MailTesting.users(uid), title);
  }

  static JsonObject body(String name, String cron, JsonObject mail) {
    return new JsonObject().put("name", name).put("cron", cron).put("mail", mail);
  }

  /** POST /admin/schedules with an admin token; must answer 201. Answers the schedule's id. */
  static long create(RavenNode node, JsonObject body) {
    TestHttp.Response r = TestHttp.post(node.adminPort(), "/admin/schedules", TestTokens.admin(), body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getLong("scheduleId");
  }

  /** GET /admin/schedules/{id}; must answer 200. */
  static JsonObject get(RavenNode node, long id) {
    TestHttp.Response r = TestHttp.get(node.adminPort(), "/admin/schedules/" + id, TestTokens.admin());
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  /** Makes {@code runAt} the schedule's next run and due now, as if the node that should have run it was down. */
  static void dueAt(Scratch db, long id, long runAt) {
    db.execute("UPDATE schedules SET next_run_at = ?, due_at = ? WHERE id = ?", runAt, runAt, id);
  }

  /** The latest 03:00 UTC at or before {@code now}: the run of {@link #DAILY} that is due then. */
  static long latestDaily(long now) {
    long threeAm = Math.floorDiv(now, DAY_MS) * DAY_MS + 3 * 3_600_000L;
    return threeAm <= now ? threeAm : threeAm - DAY_MS;
  }

  /** The job as {@code node} runs it, with a clock and settings of the test's choosing. */
  static ScheduleRunner runner(RavenNode node, ScheduleConfig cfg, LongSupplier clock) {
    return new ScheduleRunner(node.context().info(), node.context().db(), cfg, clock);
  }

  static ScheduleConfig config(long leaseMs, long retryMs, int maxAttempts) {
    return new ScheduleConfig(leaseMs, retryMs, maxAttempts, 100);
  }

  /** The ids of the mails titled {@code title} in {@code uid}'s mailbox. */
  static List<Long> mailIds(RavenNode node, long uid, String title) {
    MailTesting.Reply r = MailTesting.http(node, "GET", "/admin/users/" + uid + "/mail?limit=100", TestTokens.admin(),
        null, Map.of());
    assertThat(r.status()).isEqualTo(200);
    return r.body().getJsonArray("mails").stream().map(JsonObject.class::cast)
        .filter(m -> title.equals(m.getString("title"))).map(m -> m.getLong("mailId")).toList();
  }

  /** The schedule's run records, oldest first: {@code run_at, status, result, error}. */
  static List<Row> runs(Scratch db, long id) {
    return db.rows("SELECT run_at, status, result, error FROM schedule_runs WHERE schedule_id = ? ORDER BY run_at", id);
  }

  /** The run records of one status. */
  static List<Row> runs(Scratch db, long id, String status) {
    return runs(db, id).stream().filter(r -> status.equals(r.getString("status"))).toList();
  }

  /** Runs counted in {@code raven_schedule_runs_total{result}} over the nodes' {@code /metrics}. */
  static double counted(List<RavenNode> nodes, String result) {
    double sum = 0;
    for (RavenNode n : nodes) {
      for (String line : MailTesting.text(n, "/metrics").split("\n")) {
        if (line.startsWith("raven_schedule_runs_total{") && line.contains("result=\"" + result + "\"")) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
    }
    return sum;
  }
}
