package io.ravenpost.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.admin.operators.Role;
import io.ravenpost.mail.MailTesting;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The console's Dead letters page in Chromium: a viewer sees a player's dead-lettered grant with its
 * last error and no Resend button; an operator resends it, after which it is no dead letter and the
 * audit trail names the operator.
 */
class ConsoleDeadLettersTest {
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
  void aViewerSeesADeadLetterAndAnOperatorResendsIt() throws Exception {
    long uid = TestEnv.randomUid();
    long mailId = MailTesting.sendOne(page.node, uid, "lost reward", MailTesting.gold(9));
    MailTesting.opSync(page.node, uid, "mail.claim", MailTesting.id(mailId));
    String grantId = uid + "-" + mailId;
    // As the dead-letter job leaves a grant the game refused until the retention ran out.
    page.execute("UPDATE mail_outbox SET dead_at = ?, last_error = ? WHERE uid = ?", System.currentTimeMillis(),
        "HTTP 500", uid);

    String viewer = page.addOperator("viewer", Role.VIEWER);
    try (Browser b = page.browser()) {
      page.signIn(b, viewer);
      b.click("nav-grants");
      assertThat(b.textOf("grants-table", grantId)).contains("HTTP 500").contains("9 gold")
          .contains(" " + uid + " ");
      assertThat(b.driver().findElements(By.id("grants-resend-" + grantId))).isEmpty();
      b.screenshot("viewer-dead-letters");
    }

    String operator = page.addOperator("resender", Role.OPERATOR);
    try (Browser b = page.browser()) {
      page.signIn(b, operator);
      b.click("nav-grants");
      b.textOf("grants-table", grantId);
      b.click("grants-resend-" + grantId);
      b.textOf("grants-result", "Grant " + grantId + " offered to the game again");
      b.screenshot("operator-resent");
    }
    JsonObject dead = TestHttp.get(page.node.adminPort(), "/admin/grants/dead?limit=1000", TestTokens.admin()).json();
    assertThat(dead.getJsonArray("grants").stream().map(g -> ((JsonObject) g).getString("grantId")))
        .doesNotContain(grantId);
    assertThat(page.audit("?actor=" + operator).stream().map(JsonObject.class::cast))
        .anyMatch(e -> "grant.resend".equals(e.getString("action")) && e.getString("target").contains(grantId));
  }
}
