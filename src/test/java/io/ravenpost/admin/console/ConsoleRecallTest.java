package io.ravenpost.admin.console;

import static io.ravenpost.admin.console.ConsolePage.compose;
import static io.ravenpost.admin.console.ConsolePage.lookUp;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.admin.operators.Role;
import io.ravenpost.api.Frames;
import io.ravenpost.mail.global.GlobalTesting;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * Recalls in the console, in a real browser: an operator recalls one mail from a player's mailbox
 * (the player's session hears {@code mail.changed recalled}), is told ALREADY_CLAIMED when the
 * player claimed it while the confirmation was open, recalls a whole send from its page (claimed
 * mails stay) and right after sending it; a viewer sees the send page without recall buttons.
 */
class ConsoleRecallTest {
  @Test
  void anOperatorRecallsAMailAndASendAndSeesWhatStayed() throws Exception {
    long a = TestEnv.randomUid();
    long b = TestEnv.randomUid();
    long c = TestEnv.randomUid();
    try (ConsolePage page = new ConsolePage(); Browser br = page.browser()) {
      TestClient playerB = GlobalTesting.login(page.node, GlobalTesting.token(b, System.currentTimeMillis() / 1000 - 3600));
      String op = page.addOperator("recaller", Role.OPERATOR);
      String title = "Compensation " + op;
      page.signIn(br, op);
      compose(br, a, title, "Sorry for the downtime");
      br.type("send-uids", a + ", " + b + ", " + c);
      ConsolePage.attach(br, "gold", 50);
      br.click("send-preview-button");
      br.textOf("send-audience", "reaches 3 players");
      br.click("send-confirm-button");
      br.textOf("send-result", "Sent: mail ids");
      long sendId = Long.parseLong(br.visible("send-sent-link").getText());
      br.visible("send-recall");
      br.screenshot("send-sent-with-send-id");

      // The player claims while the operator's confirmation is open: the recall is refused, and says why.
      long mailB = page.mailIds(b, title).get(0);
      lookUp(br, b);
      br.click("player-recall-" + mailB);
      br.visible("player-recall-confirm");
      br.screenshot("player-recall-confirm");
      assertThat(playerB.callSync("mail.claim", new JsonObject().put("mailId", mailB)).getString("error")).isNull();
      br.click("player-recall-confirm-button");
      br.textOf("player-recall-result", "Not recalled: ALREADY_CLAIMED");
      br.waiting().until(d -> d.findElements(By.id("player-recall-" + mailB)).isEmpty());
      br.screenshot("player-recall-already-claimed");

      // A mail still unclaimed leaves the mailbox, and the player's session is told.
      long other = sendTo(page, b, "Wrong gift " + op);
      br.click("player-lookup");
      br.click("player-recall-" + other);
      br.click("player-recall-confirm-button");
      br.textOf("player-recall-result", "Mail " + other + " recalled");
      br.waiting().until(d -> !d.findElement(By.id("player-mailbox")).getText().contains("Wrong gift " + op));
      br.screenshot("player-recalled");
      JsonObject change = playerB.nextPush(Frames.MAIL_CHANGED, 10_000).getJsonObject("body").getJsonObject("change");
      assertThat(change.getString("type")).isEqualTo("recalled");
      assertThat(change.getLong("mailId")).isEqualTo(other);
      assertThat(page.mailIds(b, "Wrong gift " + op)).isEmpty();

      // The send's page: b claimed, a and c not; recalling the send takes back a's and c's only.
      br.script("location.hash = arguments[0]", "#/sends/" + sendId);
      br.textOf("sendpage-summary", "to 3 mailbox(es); 1 claimed, 2 still unclaimed");
      assertThat(states(br)).containsExactlyInAnyOrder("unclaimed", "claimed", "unclaimed");
      assertThat(br.textOf("sendpage-table", Long.toString(a))).contains(Long.toString(b)).contains(Long.toString(c));
      br.screenshot("send-page");
      ConsolePage.confirm(br, "sendpage-recall", "send-page-recall-confirm");
      br.textOf("sendpage-recall-result", "Send " + sendId + " recalled: 2 mail(s) taken back, 1 already claimed");
      br.textOf("sendpage-summary", "1 claimed, 0 still unclaimed");
      assertThat(states(br)).containsExactlyInAnyOrder("recalled", "claimed", "recalled");
      br.screenshot("send-page-recalled");
      assertThat(page.mailIds(a, title)).isEmpty();
      assertThat(page.mailIds(c, title)).isEmpty();
      assertThat(page.mailIds(b, title)).containsExactly(mailB);

      // Right after a send, from the send form, then its page says so.
      long d = TestEnv.randomUid();
      compose(br, d, "Typo " + op, "sent too soon");
      br.click("send-preview-button");
      br.click("send-confirm-button");
      long typo = Long.parseLong(br.visible("send-sent-link").getText());
      ConsolePage.confirm(br, "send-recall", "send-recall-confirm");
      br.textOf("send-recall-result", "Send " + typo + " recalled: 1 mail(s) taken back, 0 already claimed");
      br.screenshot("send-recalled-from-form");
      br.click("send-sent-link");
      br.textOf("sendpage-table", "recalled");
      assertThat(page.mailIds(d, "Typo " + op)).isEmpty();
      playerB.close();
    }
  }

  @Test
  void aViewerSeesASendButCannotRecallIt() throws Exception {
    long uid = TestEnv.randomUid();
    try (ConsolePage page = new ConsolePage(); Browser br = page.browser()) {
      String viewer = page.addOperator("looker", Role.VIEWER);
      TestHttp.Response sent = TestHttp.post(page.node.adminPort(), "/admin/mail", TestTokens.admin(), new JsonObject()
          .put("target", new JsonObject().put("type", "users").put("uids", new JsonArray().add(uid)))
          .put("title", "Look only " + viewer).put("body", "b"));
      long sendId = sent.json().getLong("sendId");
      page.signIn(br, viewer);
      br.script("location.hash = arguments[0]", "#/sends/" + sendId);
      br.textOf("sendpage-table", "Look only " + viewer);
      assertThat(br.driver().findElements(By.id("sendpage-recall"))).isEmpty();
      lookUp(br, uid);
      br.textOf("player-mailbox", "Look only " + viewer);
      assertThat(br.driver().findElements(By.cssSelector("button[id^=player-recall-]"))).isEmpty();
      br.script("location.hash = arguments[0]", "#/sends/" + (sendId + 1_000_000_000L));
      br.textOf("sendpage-error", "NOT_FOUND");
    }
  }

  private static long sendTo(ConsolePage page, long uid, String title) {
    TestHttp.Response r = TestHttp.post(page.node.adminPort(), "/admin/mail", TestTokens.admin(), new JsonObject()
        .put("target", new JsonObject().put("type", "users").put("uids", new JsonArray().add(uid)))
        .put("title", title).put("body", "b"));
    assertThat(r.status()).isEqualTo(201);
    return r.json().getJsonArray("mailIds").getLong(0);
  }

  private static java.util.List<String> states(Browser br) {
    return br.driver().findElements(By.cssSelector("#sendpage-table tbody tr td:last-child")).stream()
        .map(e -> e.getText()).toList();
  }
}
