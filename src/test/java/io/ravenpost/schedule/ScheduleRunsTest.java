package io.ravenpost.schedule;

import static io.ravenpost.schedule.ScheduleTesting.DAILY;
import static io.ravenpost.schedule.ScheduleTesting.DAY_MS;
import static io.ravenpost.schedule.ScheduleTesting.body;
import static io.ravenpost.schedule.ScheduleTesting.dueAt;
import static io.ravenpost.schedule.ScheduleTesting.latestDaily;
import static io.ravenpost.schedule.ScheduleTesting.mailIds;
import static io.ravenpost.schedule.ScheduleTesting.mailTo;
import static io.ravenpost.schedule.ScheduleTesting.runs;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.MailTesting;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs on two nodes: a due schedule fires from the scheduler's job and its send is recorded and
 * audited; two nodes racing the same runs (with leases long and so short that each takes the other's
 * run over mid-send) send each run once; after downtime only the latest missed run is sent, the older
 * ones recorded as skipped; a deleted schedule runs no more; a run whose send is refused is recorded
 * failed and the schedule moves on. The job's own timer is off: tests run it with clocks they choose.
 */
class ScheduleRunsTest {
  static ScheduleTesting.Bed bed;

  @BeforeAll
  static void start() {
    bed = new ScheduleTesting.Bed(2);
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  private static double counted(String result) {
    return ScheduleTesting.counted(bed.cluster.nodes(), result);
  }

  @Test
  void aDueScheduleFiresFromTheSchedulerJob() {
    long uid = TestEnv.randomUid();
    String title = "Daily reward " + uid;
    long id = ScheduleTesting.create(bed.node(0), body("daily reward", DAILY, mailTo(uid, title)));
    long runAt = latestDaily(System.currentTimeMillis());
    dueAt(bed.db, id, runAt);
    double sentBefore = counted("sent");

    MailTesting.runJob(bed.node(0), Schedules.JOB);

    List<Long> mails = mailIds(bed.node(1), uid, title);
    assertThat(mails).hasSize(1);
    JsonObject s = ScheduleTesting.get(bed.node(1), id);
    assertThat(s.getLong("lastRunAt")).isEqualTo(runAt);
    assertThat(s.getLong("nextRunAt")).isEqualTo(runAt + DAY_MS);
    JsonObject run = s.getJsonArray("runs").getJsonObject(0);
    assertThat(run.getLong("runAt")).isEqualTo(runAt);
    assertThat(run.getString("status")).isEqualTo("sent");
    assertThat(run.getJsonObject("result").getJsonArray("mailIds").getLong(0)).isEqualTo(mails.get(0));
    assertThat(counted("sent"))
        .isEqualTo(sentBefore + 1);
    JsonObject audited = TestHttp.get(bed.node(0).adminPort(), "/admin/audit?actor=schedule:" + id,
        TestTokens.admin()).json().getJsonArray("entries").getJsonObject(0);
    assertThat(audited.getString("action")).isEqualTo("send");
    assertThat(audited.getString("target")).isEqualTo("users " + uid + " mail " + mails.get(0));
    assertThat(audited.getString("requestId")).isEqualTo("schedule:" + id + ":" + runAt);
  }

  @Test
  void twoNodesRacingTheSameRunsSendEachOnce() {
    long now = System.currentTimeMillis();
    long runAt = latestDaily(now);
    List<Long> uids = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      long uid = TestEnv.randomUid();
      uids.add(uid);
      ids.add(ScheduleTesting.create(bed.node(i % 2), body("race " + i, DAILY, mailTo(uid, "Race " + uid))));
      dueAt(bed.db, ids.get(i), runAt);
    }
    // Two racers per node. One holds its claims for a minute; the others' claims end after 1 ms, so the
    // racer next in line for the row lock takes the run over while its claimer is still sending it.
    List<ScheduleRunner> racers = new ArrayList<>();
    for (int n = 0; n < 2; n++) {
      racers.add(ScheduleTesting.runner(bed.node(n), ScheduleTesting.config(n == 0 ? 60_000 : 1, 50, 100),
          System::currentTimeMillis));
      racers.add(ScheduleTesting.runner(bed.node(n), ScheduleTesting.config(1, 50, 100),
          System::currentTimeMillis));
    }
    for (int round = 0; round < 5; round++) {
      Await.result(Future.join(racers.stream().map(ScheduleRunner::runDue).toList()), 60_000);
    }
    // A racer that met another's send in flight gave the run back for a short pause: finish those.
    Poll.until("every run recorded", 30_000, () -> {
      Await.result(Future.join(racers.stream().map(ScheduleRunner::runDue).toList()), 60_000);
      return ids.stream().allMatch(id -> runs(bed.db, id, "sent").size() == 1);
    });

    for (int i = 0; i < ids.size(); i++) {
      List<Long> mails = mailIds(bed.node(0), uids.get(i), "Race " + uids.get(i));
      assertThat(mails).as("mails of schedule %d", ids.get(i)).hasSize(1);
      List<Row> sent = runs(bed.db, ids.get(i));
      assertThat(sent).as("runs of schedule %d", ids.get(i)).hasSize(1);
      assertThat(sent.get(0).getLong("run_at")).isEqualTo(runAt);
      assertThat(new JsonObject(sent.get(0).getString("result")).getJsonArray("mailIds").getLong(0))
          .isEqualTo(mails.get(0));
      assertThat(ScheduleTesting.get(bed.node(1), ids.get(i)).getLong("nextRunAt")).isEqualTo(runAt + DAY_MS);
    }
  }

  @Test
  void afterDowntimeOnlyTheLatestMissedRunIsSent() {
    long uid = TestEnv.randomUid();
    String title = "Every ten minutes " + uid;
    long id = ScheduleTesting.create(bed.node(0), body("ten minutes", "*/10 * * * *", mailTo(uid, title)));
    long tenMinutes = 600_000;
    long now = System.currentTimeMillis();
    long latest = Math.floorDiv(now, tenMinutes) * tenMinutes;
    long first = latest - 12 * tenMinutes;
    dueAt(bed.db, id, first);
    double skippedBefore = counted("skipped");
    ScheduleRunner runner = ScheduleTesting.runner(bed.node(1), ScheduleTesting.config(60_000, 50, 5), () -> now);

    Await.result(runner.runDue(), 30_000);
    Await.result(runner.runDue(), 30_000);

    assertThat(mailIds(bed.node(0), uid, title)).hasSize(1);
    assertThat(runs(bed.db, id, "sent")).extracting(r -> r.getLong("run_at")).containsExactly(latest);
    List<Long> skipped = new ArrayList<>();
    for (long t = first; t < latest; t += tenMinutes) {
      skipped.add(t);
    }
    assertThat(runs(bed.db, id, "skipped")).extracting(r -> r.getLong("run_at")).containsExactlyElementsOf(skipped);
    JsonObject s = ScheduleTesting.get(bed.node(0), id);
    assertThat(s.getLong("lastRunAt")).isEqualTo(latest);
    assertThat(s.getLong("nextRunAt")).isEqualTo(latest + tenMinutes);
    assertThat(counted("skipped"))
        .isEqualTo(skippedBefore + 12);
  }

  @Test
  void aDeletedScheduleRunsNoMore() {
    long uid = TestEnv.randomUid();
    long id = ScheduleTesting.create(bed.node(0), body("deleted", DAILY, mailTo(uid, "Deleted " + uid)));
    dueAt(bed.db, id, latestDaily(System.currentTimeMillis()));
    assertThat(TestHttp.send(bed.node(1).adminPort(), "DELETE", "/admin/schedules/" + id, TestTokens.admin(), null,
        java.util.Map.of()).status()).isEqualTo(204);

    MailTesting.runJob(bed.node(1), Schedules.JOB);

    assertThat(runs(bed.db, id)).isEmpty();
    assertThat(mailIds(bed.node(0), uid, "Deleted " + uid)).isEmpty();
  }

  @Test
  void aRunWhoseSendIsRefusedIsRecordedFailedAndTheScheduleMovesOn() {
    long uid = TestEnv.randomUid();
    long id = ScheduleTesting.create(bed.node(0), body("refused", DAILY, mailTo(uid, "Refused " + uid)));
    long runAt = latestDaily(System.currentTimeMillis());
    dueAt(bed.db, id, runAt);
    // Stored mail that the mail role refuses now (as a rule tightened since the schedule was made would).
    bed.db.execute("UPDATE schedules SET mail = ? WHERE id = ?", mailTo(uid, "").encode(), id);
    double failedBefore = counted("failed");

    Await.result(ScheduleTesting.runner(bed.node(0), ScheduleTesting.config(60_000, 50, 5),
        System::currentTimeMillis).runDue(), 30_000);

    List<Row> failed = runs(bed.db, id, "failed");
    assertThat(failed).hasSize(1);
    assertThat(failed.get(0).getString("error")).startsWith("BAD_REQUEST: title is required");
    JsonObject s = ScheduleTesting.get(bed.node(0), id);
    assertThat(s.getLong("nextRunAt")).isEqualTo(runAt + DAY_MS);
    assertThat(s.getJsonArray("runs").getJsonObject(0).getString("error")).contains("title");
    assertThat(counted("failed"))
        .isEqualTo(failedBefore + 1);
    assertThat(TestHttp.get(bed.node(0).adminPort(), "/admin/audit?actor=schedule:" + id, TestTokens.admin())
        .json().getJsonArray("entries").getJsonObject(0).getString("result")).isEqualTo("BAD_REQUEST");
  }
}
