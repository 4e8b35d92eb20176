package io.ravenpost.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.ravenpost.admin.operators.Role;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's Schedules page, step by step, as {@link ConsoleBrowserTest} drives it: an operator
 * writes a schedule, previews its next five runs (the server's own), edits it after the preview
 * (which disables Save until the next preview), saves it, sees its run send a mail to the player
 * once the run comes due (the node's own scheduler job sends it), and deletes it.
 */
final class ConsoleSchedules {
  private static final String CRON = "30 2 * * *";
  private static final String ZONE = "America/New_York";

  private ConsoleSchedules() {
  }

  /** Runs the whole flow in {@code b} as a new operator, then checks the audit trail of it. */
  static void planSeeSentAndDelete(ConsolePage page, Browser b) throws Exception {
    String op = page.addOperator("planner", Role.OPERATOR);
    page.signIn(b, op);
    long uid = TestEnv.randomUid();
    String title = "Nightly gift " + op;
    b.click("nav-schedules");
    b.textOf("schedule-status", "shown");
    b.type("schedule-name", "Nightly " + op);
    b.type("schedule-cron", CRON);
    b.type("schedule-timezone", ZONE);
    new Select(b.visible("schedule-type")).selectByValue("users");
    b.type("schedule-uids", Long.toString(uid));
    b.type("schedule-title", "draft");
    b.type("schedule-body", "A gift every night at 02:30 New York time");
    b.click("schedule-preview-button");
    // Shown on New York's clocks, as the server's preview has them.
    List<String> shown = nextRuns(b);
    assertThat(shown).hasSize(5).allSatisfy(run -> assertThat(run).containsPattern("2:30:00 AM E[SD]T"));
    LocalDate first = LocalDate.parse(TestHttp.get(page.node.adminPort(), "/admin/schedules/preview?cron="
        + URLEncoder.encode(CRON, StandardCharsets.UTF_8) + "&timezone=" + ZONE, TestTokens.admin()).json()
        .getJsonArray("local").getString(0).substring(0, 10));
    assertThat(shown.get(0)).startsWith(first.getMonthValue() + "/" + first.getDayOfMonth() + "/" + first.getYear());

    // Edited after the preview: Save waits for the next preview, which freezes the new title.
    b.type("schedule-title", title);
    b.textOf("schedule-save-note", "preview again");
    assertThat(b.visible("schedule-save-button").isEnabled()).isFalse();
    b.screenshot("schedules-edited-after-preview");
    b.click("schedule-preview-button");
    b.waiting().until(ExpectedConditions.textToBe(By.id("schedule-save-note"), ""));
    assertThat(b.textOf("schedule-runs-preview", title)).contains("to players " + uid);
    b.screenshot("schedules-preview");
    b.click("schedule-save-button");
    long id = Long.parseLong(b.textOf("schedule-result", "Saved: schedule").replaceAll("^\\D+(\\d+).*$", "$1"));
    b.textOf("schedule-detail-" + id, CRON + " in " + ZONE);
    b.textOf("schedule-no-runs", "No run yet");
    b.screenshot("schedules-saved");

    // Its run comes due (as if its time had come): the node's scheduler job sends it, once.
    makeDue(page, id);
    b.waiting().until(d -> {
      ConsolePage.row(b, "schedule-table", id).click();
      return d.findElements(By.id("schedule-runs-table")).stream().anyMatch(t -> t.getText().contains("sent"));
    });
    List<Long> mails = page.mailIds(uid, title);
    assertThat(mails).hasSize(1);
    assertThat(b.textOf("schedule-runs-table", "mail ids " + mails.get(0))).contains("sent");
    b.screenshot("schedules-detail");

    ConsolePage.confirm(b, "schedule-delete", "schedules-delete-confirm");
    b.textOf("schedule-delete-result", "Schedule " + id + " deleted");
    b.textOf("schedule-times", "none (deleted");
    assertThat(b.driver().findElements(By.id("schedule-delete"))).isEmpty();
    b.screenshot("schedules-deleted");

    // The operator's writes, and the run's send under the schedule's own actor.
    assertThat(ConsolePage.actions(page.audit("?actor=" + op))).contains("schedule.create", "schedule.delete");
    assertThat(ConsolePage.actions(page.audit("?actor=schedule:" + id))).containsExactly("send");
  }

  private static List<String> nextRuns(Browser b) {
    b.waiting().until(d -> d.findElements(By.cssSelector("#schedule-next-runs li")).size() == 5);
    return b.driver().findElements(By.cssSelector("#schedule-next-runs li")).stream().map(WebElement::getText).toList();
  }

  /** Makes the schedule's latest run (by the library's own reckoning) due now, as if its time had just come. */
  private static void makeDue(ConsolePage page, long id) {
    ExecutionTime times = ExecutionTime.forCron(new CronParser(CronDefinitionBuilder.instanceDefinitionFor(
        CronType.UNIX)).parse(CRON));
    long runAt = times.lastExecution(ZonedDateTime.now(ZoneId.of(ZONE))).orElseThrow().toInstant().toEpochMilli();
    page.execute("UPDATE schedules SET next_run_at = ?, due_at = ? WHERE id = ?", runAt, runAt, id);
  }
}
