package io.ravenpost.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.admin.operators.Role;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The console's Templates page, as {@link ConsoleBrowserTest} drives it: an operator writes a
 * template in two languages and saves it (version 1), opens it from the list, changes a title and
 * saves again (version 2, with both versions listed); a refused save names the field. Then the
 * send page sends it with its params and another mail with a title and body per language, and
 * each player's mailbox shows the player's language.
 */
final class ConsoleTemplates {
  private ConsoleTemplates() {
  }

  static void writeTwoVersions(ConsolePage page, Browser b) throws Exception {
    String op = page.addOperator("writer", Role.OPERATOR);
    page.signIn(b, op);
    String id = "welcome-" + op;
    b.click("nav-templates");
    b.textOf("template-status", "templates");
    b.type("template-id", id);
    b.type("template-locale-title-1", "Welcome {{player.name}}");
    b.type("template-locale-body-1", "Here are {{gold}} gold.");
    b.click("template-add-locale");
    b.type("template-locale-tag-2", "fr");
    b.type("template-locale-title-2", "Bienvenue {{player.name}}");
    b.type("template-locale-body-2", "Voici {{gold}} pièces d'or.");
    b.click("template-save");
    b.textOf("template-result", "Saved: " + id + " version 1");
    b.screenshot("templates-saved");

    WebElement row = b.waiting().until(d -> d.findElements(By.cssSelector("#template-table tbody tr")).stream()
        .filter(tr -> tr.findElement(By.tagName("td")).getText().equals(id)).findFirst().orElse(null));
    assertThat(row.getText()).contains("en, fr").contains("gold, player.name");
    row.click();
    b.textOf("template-detail-" + id, id + ", version 1");
    b.type("template-locale-title-2", "Bienvenue, {{player.name}} !");
    b.click("template-save");
    b.textOf("template-result", "Saved: " + id + " version 2");
    b.textOf("template-detail-" + id, id + ", version 2");
    List<String> versions = b.driver().findElements(By.cssSelector("#template-versions tbody tr")).stream()
        .map(tr -> tr.findElement(By.tagName("td")).getText()).toList();
    assertThat(versions).containsExactly("2", "1");
    b.screenshot("templates-versions");

    JsonObject stored = TestHttp.get(page.node.adminPort(), "/admin/templates/" + id, TestTokens.admin()).json();
    assertThat(stored.getJsonObject("texts").getJsonObject("fr").getString("title")).isEqualTo("Bienvenue, {{player.name}} !");
    assertThat(stored.getJsonObject("texts").getJsonObject("en").getString("body")).isEqualTo("Here are {{gold}} gold.");

    b.type("template-default-locale", "de");
    b.click("template-save");
    assertThat(b.textOf("template-result", "Not saved")).contains("defaultLocale");
    b.screenshot("templates-refused");

    long french = TestEnv.randomUid();
    TestClient player = TestClient.ws(page.node.wsPort());
    player.callSync("auth.login", new JsonObject().put("token", TestTokens.mint(new JsonObject()
        .put("sub", Long.toString(french)).put("name", "Zoé"))).put("locale", "fr-BE"));
    b.click("nav-send");
    b.type("send-uids", Long.toString(french));
    new Select(b.visible("send-text-form")).selectByValue("template");
    b.type("send-template", id);
    b.type("send-params", "gold=250");
    b.click("send-preview-button");
    assertThat(b.textOf("send-audience", "reaches 1 players")).contains("template " + id);
    b.screenshot("send-template-preview");
    b.click("send-confirm-button");
    b.textOf("send-result", "Sent: mail ids");
    JsonObject pushed = personalPush(player);
    assertThat(pushed.getString("title")).isEqualTo("Bienvenue, Zoé !");
    assertThat(pushed.getString("locale")).isEqualTo("fr");

    new Select(b.visible("send-text-form")).selectByValue("texts");
    b.type("send-locale-title-1", "Server news");
    b.type("send-locale-body-1", "Read me");
    b.click("send-add-locale");
    b.type("send-locale-tag-2", "fr");
    b.type("send-locale-title-2", "Nouvelles");
    b.type("send-locale-body-2", "Lisez-moi");
    b.click("send-preview-button");
    assertThat(b.textOf("send-preview-request", "in en, fr")).contains("Server news");
    b.screenshot("send-languages-preview");
    b.click("send-confirm-button");
    b.textOf("send-result", "Sent: mail ids");
    assertThat(personalPush(player).getString("title")).isEqualTo("Nouvelles");
    player.close();
  }

  /** The next mail.new of a personal mail: earlier tests' global mail reaches this player too. */
  private static JsonObject personalPush(TestClient player) {
    JsonObject push = player.nextPush("mail.new", b -> !"global".equals(b.getJsonObject("mail").getString("kind")), 10_000);
    assertThat(push).as("a mail.new of a personal mail").isNotNull();
    return push.getJsonObject("body").getJsonObject("mail");
  }
}
