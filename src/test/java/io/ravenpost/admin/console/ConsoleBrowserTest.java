package io.ravenpost.admin.console;

import static io.ravenpost.admin.console.ConsolePage.compose;
import static io.ravenpost.admin.console.ConsolePage.globalRow;
import static io.ravenpost.admin.console.ConsolePage.lookUp;
import static io.ravenpost.admin.console.ConsolePage.sentId;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.admin.operators.Role;
import io.ravenpost.api.Frames;
import io.ravenpost.mail.global.GlobalTesting;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser (Debian's chromium through chromium-driver): an operator signs in,
 * sends a mail to a player connected over WebSocket who receives {@code mail.new}, finds it in the
 * player's mailbox page, sends and retracts a global mail, opens a global mail's detail from the
 * keyboard, finds all in the audit page. A double click on Confirm, or a retry after the answer was
 * lost, sends one mail; a form edited after Preview is not sent until previewed again; an ended
 * session returns to sign-in; a viewer sees no write buttons (and the server refuses anyway); an
 * answer that is not JSON, or none at all, is shown as an error; a schedule is planned, sent and
 * deleted ({@link ConsoleSchedules}); a template is written in two languages and saved twice
 * ({@link ConsoleTemplates}). Screenshots land in {@code target/console-screenshots/}. Global mail
 * reaches every player of a database, so the node has a scratch database; the first test counts its
 * players, so it runs first.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserTest {
  static ConsolePage page;

  @BeforeAll
  static void start() {
    page = new ConsolePage();
  }

  @AfterAll
  static void stop() {
    page.close();
  }

  @Test
  @Order(1)
  void anOperatorSendsFindsRetractsAndAudits() throws Exception {
    String op = page.addOperator("op", Role.OPERATOR);
    long uid = TestEnv.randomUid();
    TestClient player = GlobalTesting.login(page.node, GlobalTesting.token(uid, System.currentTimeMillis() / 1000 - 3600));
    String title = "Welcome back " + op;
    String globalTitle = "Server-wide " + op;
    try (Browser b = page.browser()) {
      b.screenshot("sign-in");
      page.signIn(b, op);
      b.textOf("dashboard-updated", "Updated");
      b.textOf("dashboard-nodes", page.node.nodeId());
      b.screenshot("dashboard");

      // A mail with an attachment to the connected player: preview, confirm, and the push arrives.
      compose(b, uid, title, "A gift for your return");
      ConsolePage.attach(b, "gold", 100);
      b.click("send-preview-button");
      assertThat(b.textOf("send-audience", "reaches 1 players")).contains(title);
      assertThat(b.textOf("send-preview-request", "100 × currency gold")).contains("A gift for your return");
      b.screenshot("send-preview");
      b.click("send-confirm-button");
      long mailId = sentId(b, "Sent: mail ids");
      b.screenshot("send-sent");
      JsonObject push = player.nextPush(Frames.MAIL_NEW, 10_000);
      assertThat(push.getJsonObject("body").getJsonObject("mail").getString("title")).isEqualTo(title);
      assertThat(push.getJsonObject("body").getJsonObject("mail").getLong("mailId")).isEqualTo(mailId);

      // The player's page: online on this node, the mail in the mailbox.
      lookUp(b, uid);
      b.textOf("player-online", "Online on node " + page.node.nodeId());
      assertThat(b.textOf("player-mailbox", title)).contains("100 × currency gold");
      b.screenshot("player");

      // A global mail to everyone, then its retraction.
      b.click("nav-send");
      new Select(b.visible("send-type")).selectByValue("all");
      b.type("send-title", globalTitle);
      b.type("send-body", "Maintenance compensation");
      b.click("send-preview-button");
      b.textOf("send-audience", "reaches 1 players registered now");
      b.click("send-confirm-button");
      long globalId = sentId(b, "Sent: global mail");
      b.screenshot("send-global");
      b.click("nav-global");
      b.textOf("global-table", globalTitle);
      b.screenshot("global-list");
      globalRow(b, globalId).click();
      ConsolePage.confirm(b, "global-retract", "global-retract-confirm");
      b.textOf("global-retract-result", "Global mail " + globalId + " retracted");
      b.textOf("global-table", "retracted");
      b.screenshot("global-retracted");

      // The row again from the keyboard: Tab reaches it, its focus shows, Enter opens its detail anew.
      WebElement row = globalRow(b, globalId);
      b.tabTo(row, 40);
      assertThat(b.outline(row)).as("a visible focus").isEqualTo("solid 2px");
      b.screenshot("global-row-focused");
      b.press(Keys.ENTER);
      b.textOf("global-detail-" + globalId, "State: retracted");
      b.screenshot("global-detail-by-keyboard");

      // All of it, with its actor, in the audit page.
      ConsolePage.filterAudit(b, op);
      String trail = b.textOf("audit-table", "retract");
      assertThat(trail).contains("send users " + uid + " mail " + mailId)
          .contains("send.global global mail " + globalId).contains("retract global mail " + globalId).contains(op);
      b.screenshot("audit");
    } finally {
      player.close();
    }

    // The same trail over the API: the operator's writes with their request ids.
    JsonArray mine = page.audit("?actor=" + op);
    assertThat(ConsolePage.actions(mine)).contains("send", "send.global", "retract");
    assertThat(mine.stream().map(e -> ((JsonObject) e).getString("requestId")).toList())
        .allSatisfy(id -> assertThat(id).isNotBlank());
  }

  @Test
  @Order(2)
  void aDoubleClickOrARetryAfterALostAnswerSendsOneMail() throws Exception {
    String op = page.addOperator("twice", Role.OPERATOR);
    long uid = TestEnv.randomUid();
    try (Browser b = page.browser()) {
      page.signIn(b, op);
      b.script(ConsolePage.RECORD_SEND_KEYS);
      compose(b, uid, "Once " + op, "However often it is asked for");
      b.click("send-preview-button");
      b.textOf("send-audience", "reaches 1 players");
      b.doubleClick("send-confirm-button");
      long once = sentId(b, "Sent: mail ids");
      b.screenshot("send-double-click");
      assertThat(page.mailIds(uid, "Once " + op)).containsExactly(once);

      // The server acts on the send, but its answer never reaches the page: Retry re-uses the key.
      b.type("send-title", "Retried " + op);
      b.click("send-preview-button");
      b.textOf("send-audience", "Retried " + op);
      b.script(ConsolePage.FAULT_NEXT, "/admin/mail", "answerLost");
      b.click("send-confirm-button");
      b.textOf("send-result", "Maybe not sent: NETWORK");
      b.textOf("send-confirm-button", "Retry send");
      b.screenshot("send-answer-lost");
      b.click("send-confirm-button");
      long retried = sentId(b, "Sent: mail ids");
      assertThat(page.mailIds(uid, "Retried " + op)).containsExactly(retried);

      // One request for the double click (its button is disabled at the first click); the retry's
      // key is its first try's, and a new send's key is new.
      List<String> keys = ConsolePage.sendKeys(b);
      assertThat(keys).hasSize(3).allMatch(k -> k.matches("[0-9a-f]{32}"));
      assertThat(keys.get(2)).isEqualTo(keys.get(1)).isNotEqualTo(keys.get(0));
    }
  }

  @Test
  @Order(3)
  void aFormEditedAfterPreviewIsNotSentUntilPreviewedAgain() throws Exception {
    String op = page.addOperator("editor", Role.OPERATOR);
    long uid = TestEnv.randomUid();
    try (Browser b = page.browser()) {
      page.signIn(b, op);
      compose(b, uid, "Draft " + op, "first words");
      b.click("send-preview-button");
      b.textOf("send-preview-request", "first words");
      b.visible("send-body").sendKeys(", then second thoughts");
      b.textOf("send-confirm-note", "preview again");
      WebElement confirm = b.visible("send-confirm-button");
      assertThat(confirm.isEnabled()).isFalse();
      b.screenshot("send-edited-after-preview");
      confirm.click();
      b.click("send-preview-button");
      b.textOf("send-preview-request", "first words, then second thoughts");
      b.waiting().until(ExpectedConditions.textToBe(By.id("send-confirm-note"), ""));
      b.click("send-confirm-button");
      long sent = sentId(b, "Sent: mail ids");
      assertThat(page.mailIds(uid, "Draft " + op)).containsExactly(sent);
      assertThat(page.mailbox(uid).getJsonObject(0).getString("body")).isEqualTo("first words, then second thoughts");
    }
  }

  @Test
  @Order(4)
  void anEndedSessionReturnsToSignIn() throws Exception {
    String removed = page.addOperator("removed", Role.OPERATOR);
    String elsewhere = page.addOperator("elsewhere", Role.OPERATOR);
    try (Browser b = page.browser()) {
      // The operator is removed while the page is open: its next request is answered 401.
      page.signIn(b, removed);
      lookUp(b, TestEnv.randomUid());
      b.textOf("player-online", "Offline");
      page.removeOperator(removed);
      b.click("player-lookup");
      b.textOf("sign-in-message", "Your session has ended");
      b.screenshot("session-ended-operator-removed");

      // Signed out from another client with the same cookie: the dashboard's next refresh notices.
      page.signIn(b, elsewhere);
      b.click("nav-dashboard");
      b.textOf("dashboard-updated", "Updated");
      page.signOutElsewhere(b.driver().manage().getCookieNamed(ConsoleRoutes.COOKIE));
      b.textOf("sign-in-message", "Your session has ended");
      b.visible("sign-in-name");
      assertThat(b.driver().findElement(By.id("view")).getText()).isEmpty();
      b.screenshot("session-ended-signed-out-elsewhere");
      page.signIn(b, elsewhere);
      b.textOf("dashboard-updated", "Updated");
    }
  }

  @Test
  @Order(5)
  void aViewerSeesNoWriteButtonsAndTheServerRefusesItsWritesAnyway() throws Exception {
    String viewer = page.addOperator("viewer", Role.VIEWER);
    long uid = TestEnv.randomUid();
    long globalId = page.sendGlobal("For viewers to look at " + viewer);
    try (Browser b = page.browser()) {
      page.signIn(b, viewer);
      b.click("nav-send");
      b.visible("send-viewer-note");
      b.type("send-uids", Long.toString(uid));
      b.type("send-title", "not allowed");
      b.click("send-preview-button");
      b.textOf("send-audience", "reaches 1 players");
      assertThat(b.driver().findElements(By.id("send-confirm-button"))).isEmpty();
      b.screenshot("viewer-send");

      lookUp(b, uid);
      b.textOf("player-online", "Offline");
      assertThat(b.driver().findElements(By.id("player-kick"))).isEmpty();
      b.screenshot("viewer-player");

      // The detail opened with Space this time; it has no Retract button.
      b.click("nav-global");
      b.tabTo(globalRow(b, globalId), 40);
      b.press(Keys.SPACE);
      b.textOf("global-detail-" + globalId, "For viewers to look at");
      assertThat(b.driver().findElements(By.id("global-retract"))).isEmpty();
      b.screenshot("viewer-global-detail");

      Object status = b.driver().executeAsyncScript(ConsolePage.SEND_AS_PAGE, uid);
      assertThat(status).as("the server refuses a viewer's send whatever the page shows").isEqualTo(403L);
    }
    // Its sign-in is in the trail too; of sends, only the refused one.
    List<JsonObject> refused = page.audit("?actor=" + viewer).stream().map(JsonObject.class::cast)
        .filter(e -> "send".equals(e.getString("action"))).toList();
    assertThat(refused).extracting(e -> e.getString("route") + " " + e.getString("result"))
        .containsExactly("POST /admin/mail FORBIDDEN");
  }

  @Test
  @Order(7)
  void anOperatorPlansASchedulePreviewsItsRunsSeesItSendAndDeletesIt() throws Exception {
    try (Browser b = page.browser()) {
      ConsoleSchedules.planSeeSentAndDelete(page, b);
    }
  }

  @Test
  @Order(8)
  void anOperatorWritesATemplateInTwoLanguagesAndSavesASecondVersion() throws Exception {
    try (Browser b = page.browser()) {
      ConsoleTemplates.writeTwoVersions(page, b);
    }
  }

  @Test
  @Order(6)
  void anAnswerThatIsNotJsonOrNoAnswerIsShownAsAnError() throws Exception {
    String op = page.addOperator("proxied", Role.OPERATOR);
    try (Browser b = page.browser()) {
      page.signIn(b, op);
      b.script(ConsolePage.FAULT_NEXT, "/admin/online/", "proxy502");
      lookUp(b, TestEnv.randomUid());
      assertThat(b.textOf("player-state", "HTTP 502")).contains("502 Bad Gateway nginx").doesNotContain("<");
      b.textOf("player-mailbox", "No mail");
      b.screenshot("error-proxy-502");
      b.click("player-lookup");
      b.textOf("player-online", "Offline");

      b.script(ConsolePage.FAULT_NEXT, "/admin/audit", "offline");
      b.click("nav-audit");
      b.textOf("audit-status", "NETWORK: the server could not be reached");
      b.screenshot("error-network");
      b.click("audit-filter");
      b.textOf("audit-status", "shown");
    }
  }
}
