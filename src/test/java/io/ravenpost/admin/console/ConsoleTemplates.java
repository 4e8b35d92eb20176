package io.ravenpost.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.admin.operators.Role;
import io.ravenpost.testkit.TestTokens;
import io.ravenpost.testkit.TestHttp;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console's Templates page, as {@link ConsoleBrowserTest} drives it: an operator writes a
 * template in two languages and saves it (version 1), opens it from the list, changes a title and
 * saves again (version 2, with both versions listed); a refused save names the field.
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
  }
}
