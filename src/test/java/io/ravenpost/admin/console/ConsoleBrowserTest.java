package io.ravenpost.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.admin.operators.OperatorStore;
import io.ravenpost.admin.operators.Role;
import io.ravenpost.api.AuditContext;
import io.ravenpost.api.Frames;
import io.ravenpost.mail.global.GlobalTesting;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console in a real browser (Debian's chromium through chromium-driver): an operator signs in,
 * sends a mail to a player connected over WebSocket who receives {@code mail.new}, finds it in the
 * player's mailbox page, sends and retracts a global mail, finds both in the audit page; a viewer
 * is refused by the server when sending. Screenshots of each page land in
 * {@code target/console-screenshots/}. Global mail reaches every player of a database, so the node
 * runs on a scratch database of its own.
 */
class ConsoleBrowserTest {
  static final Path SHOTS = Path.of("target", "console-screenshots");
  static GlobalTesting.Scratch scratch;
  static TestCluster cluster;
  static RavenNode node;
  static String base;

  @BeforeAll
  static void start() {
    scratch = new GlobalTesting.Scratch();
    cluster = TestCluster.start(1, scratch.overrides(new JsonObject()));
    node = cluster.node(0);
    base = "http://127.0.0.1:" + node.adminPort();
  }

  @AfterAll
  static void stop() {
    cluster.close();
    scratch.close();
  }

  @Test
  void anOperatorSendsFindsRetractsAndAuditsAndAViewerCannotSend() throws Exception {
    String suffix = Long.toHexString(System.nanoTime() & 0xffffff);
    String op = "op-" + suffix;
    String viewer = "viewer-" + suffix;
    String opPassword = addOperator(op, Role.OPERATOR);
    String viewerPassword = addOperator(viewer, Role.VIEWER);
    long uid = TestEnv.randomUid();
    TestClient player = GlobalTesting.login(node, GlobalTesting.token(uid, System.currentTimeMillis() / 1000 - 3600));
    String title = "Welcome back " + suffix;
    String globalTitle = "Server-wide " + suffix;

    try (Browser b = new Browser(SHOTS)) {
      b.open(base + "/console/");
      b.visible("sign-in-name");
      b.screenshot("sign-in");
      signIn(b, op, opPassword);
      b.textOf("dashboard-updated", "Updated");
      b.textOf("dashboard-nodes", node.nodeId());
      b.screenshot("dashboard");

      // A mail with an attachment to the connected player: preview, confirm, and the push arrives.
      b.click("nav-send");
      b.type("send-uids", Long.toString(uid));
      b.type("send-title", title);
      b.type("send-body", "A gift for your return");
      b.click("send-add-attachment");
      WebElement id = b.driver().findElement(By.cssSelector("#send-attachments .att-id"));
      id.sendKeys("gold");
      WebElement amount = b.driver().findElement(By.cssSelector("#send-attachments .att-amount"));
      amount.clear();
      amount.sendKeys("100");
      b.click("send-preview-button");
      assertThat(b.textOf("send-audience", "reaches 1 players")).contains(title);
      b.screenshot("send-preview");
      b.click("send-confirm-button");
      String sent = b.textOf("send-result", "Sent: mail ids");
      long mailId = Long.parseLong(sent.replaceAll("\\D+", ""));
      b.screenshot("send-sent");
      JsonObject push = player.nextPush(Frames.MAIL_NEW, 10_000);
      assertThat(push.getJsonObject("body").getJsonObject("mail").getString("title")).isEqualTo(title);
      assertThat(push.getJsonObject("body").getJsonObject("mail").getLong("mailId")).isEqualTo(mailId);

      // The player's page: online on this node, the mail in the mailbox.
      b.click("nav-player");
      b.type("player-uid", Long.toString(uid));
      b.click("player-lookup");
      b.textOf("player-online", "Online on node " + node.nodeId());
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
      long globalId = Long.parseLong(b.textOf("send-result", "Sent: global mail").replaceAll("\\D+", ""));
      b.screenshot("send-global");
      b.click("nav-global");
      b.textOf("global-table", globalTitle);
      b.screenshot("global-list");
      b.driver().findElements(By.cssSelector("#global-table tbody tr")).stream()
          .filter(tr -> tr.findElement(By.tagName("td")).getText().equals(Long.toString(globalId)))
          .findFirst().orElseThrow().click();
      b.click("global-retract");
      b.visible("global-retract-confirm");
      b.screenshot("global-retract-confirm");
      b.click("global-retract-confirm-button");
      b.textOf("global-retract-result", "Global mail " + globalId + " retracted");
      b.textOf("global-table", "retracted");
      b.screenshot("global-retracted");

      // Both actions, with their actor, in the audit page.
      b.click("nav-audit");
      b.type("audit-actor", op);
      b.click("audit-filter");
      String trail = b.textOf("audit-table", "retract");
      assertThat(trail).contains("send users " + uid + " mail " + mailId)
          .contains("send.global global mail " + globalId).contains("retract global mail " + globalId).contains(op);
      b.screenshot("audit");

      // A viewer may look but not send: the server refuses, whatever the page offers.
      b.click("sign-out");
      b.visible("sign-in-name");
      signIn(b, viewer, viewerPassword);
      b.click("nav-send");
      b.visible("send-viewer-note");
      b.type("send-uids", Long.toString(uid));
      b.type("send-title", "not allowed");
      b.type("send-body", "a viewer tries");
      b.click("send-preview-button");
      b.click("send-confirm-button");
      b.textOf("send-result", "Not sent: FORBIDDEN");
      b.screenshot("viewer-refused");
    } finally {
      player.close();
    }

    // The same trail over the API: the operator's writes with their request ids, and the viewer's refusal.
    JsonArray mine = audit("?actor=" + op);
    assertThat(actions(mine)).contains("send", "send.global", "retract");
    assertThat(mine.stream().map(e -> ((JsonObject) e).getString("requestId")).toList())
        .allSatisfy(id -> assertThat(id).isNotBlank());
    // The viewer's sign-in is in the trail too; of its sends, only the refused one.
    List<JsonObject> refused = audit("?actor=" + viewer).stream().map(JsonObject.class::cast)
        .filter(e -> "send".equals(e.getString("action"))).toList();
    assertThat(refused).hasSize(1);
    assertThat(refused.get(0).getString("result")).isEqualTo("FORBIDDEN");
    assertThat(refused.get(0).getString("route")).isEqualTo("POST /admin/mail");
  }

  private static String addOperator(String name, Role role) {
    OperatorStore store = new OperatorStore(node.context().vertx(), node.context().db());
    return Await.result(store.add(name, role, new AuditContext("test", "setup", "test"))).getString("password");
  }

  private static void signIn(Browser b, String name, String password) {
    b.type("sign-in-name", name);
    b.type("sign-in-password", password);
    b.click("sign-in-submit");
    b.textOf("who-name", name);
  }

  private static JsonArray audit(String query) {
    TestHttp.Response r = TestHttp.get(node.adminPort(), "/admin/audit" + query, TestTokens.admin());
    assertThat(r.status()).isEqualTo(200);
    return r.json().getJsonArray("entries");
  }

  private static List<String> actions(JsonArray entries) {
    return entries.stream().map(e -> ((JsonObject) e).getString("action")).collect(Collectors.toList());
  }
}
