package io.ravenpost.admin.console;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The console's charts in a real browser: the dashboard draws each gate node's sessions and logins
 * per second from the node's samples (taken every 300 ms here), and a global mail's detail draws its
 * copies delivered, opened and claimed over time, with the totals the players made.
 */
class ConsoleChartsTest {
  static ConsolePage page;

  @BeforeAll
  static void start() {
    page = new ConsolePage(new JsonObject().put("stats", new JsonObject().put("historySampleMs", 300)));
  }

  @AfterAll
  static void stop() {
    page.close();
  }

  @Test
  void theDashboardChartsSessionsAndLoginsPerNode() throws Exception {
    String viewer = page.addOperator("watcher", Role.VIEWER);
    List<TestClient> players = new ArrayList<>();
    try (Browser b = page.browser()) {
      for (int i = 0; i < 2; i++) {
        players.add(GlobalTesting.login(page.node, GlobalTesting.token(TestEnv.randomUid(),
            System.currentTimeMillis() / 1000 - 3600)));
      }
      // The node's own samples say what the charts must show: two sessions, and logins that happened.
      b.waiting().until(d -> {
        JsonObject mine = history().getJsonObject(page.node.nodeId());
        JsonArray sessions = mine == null ? new JsonArray() : mine.getJsonArray("sessions");
        return !sessions.isEmpty() && sessions.getLong(sessions.size() - 1) == 2
            && mine.getJsonArray("loginsPerSec").stream().anyMatch(v -> ((Number) v).doubleValue() > 0);
      });

      page.signIn(b, viewer);
      b.textOf("dashboard-charts-status", "1 node(s)");
      for (String id : List.of("chart-sessions", "chart-logins")) {
        WebElement chart = b.visible(id);
        b.waiting().until(d -> Integer.parseInt(chart.getAttribute("data-points")) >= 2);
        assertThat(chart.getAttribute("data-series")).isEqualTo("1");
        assertThat(chart.getText()).contains(page.node.nodeId());
        @SuppressWarnings("unchecked")
        Map<String, Long> size = (Map<String, Long>) b.script(
            "const c = arguments[0].querySelector('canvas'); return {w: c.width, h: c.height};", chart);
        assertThat(size.get("w")).isPositive();
        assertThat(size.get("h")).isPositive();
      }
      b.screenshot("dashboard-charts");
    } finally {
      players.forEach(TestClient::close);
    }
  }

  @Test
  void aGlobalMailShowsItsCopiesDeliveredOpenedAndClaimedOverTime() throws Exception {
    String op = page.addOperator("charts", Role.OPERATOR);
    List<TestClient> players = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      players.add(GlobalTesting.login(page.node, GlobalTesting.token(TestEnv.randomUid(),
          System.currentTimeMillis() / 1000 - 3600)));
    }
    try (Browser b = page.browser()) {
      String title = "Festival gift " + op;
      TestHttp.Response sent = TestHttp.post(page.node.adminPort(), "/admin/mail", TestTokens.admin(), new JsonObject()
          .put("target", new JsonObject().put("type", "online")).put("title", title).put("body", "enjoy")
          .put("attachments", new JsonArray().add(new JsonObject().put("type", "currency").put("id", "gold")
              .put("amount", 5))));
      assertThat(sent.status()).isEqualTo(201);
      long globalId = sent.json().getLong("globalMailId");
      // All three receive it; two open it; one of those claims it.
      List<Long> mailIds = new ArrayList<>();
      for (TestClient p : players) {
        mailIds.add(p.nextPush(Frames.MAIL_NEW, 10_000).getJsonObject("body").getJsonObject("mail").getLong("mailId"));
      }
      for (int i = 0; i < 2; i++) {
        assertThat(players.get(i).callSync("mail.open", new JsonObject().put("mailId", mailIds.get(i)))
            .getString("error")).isNull();
      }
      assertThat(players.get(0).callSync("mail.claim", new JsonObject().put("mailId", mailIds.get(0)))
          .getString("error")).isNull();

      page.signIn(b, op);
      b.click("nav-global");
      ConsolePage.globalRow(b, globalId).click();
      // Players of the other test may still be in the registry when the send walks it: the list's
      // own count of copies is what the chart must add up to.
      long delivered = delivered(globalId);
      assertThat(delivered).isGreaterThanOrEqualTo(3);
      b.textOf("global-timeline-status", "Over time: delivered " + delivered + ", opened 2, claimed 1");
      WebElement chart = b.visible("global-timeline");
      assertThat(chart.getAttribute("data-series")).isEqualTo("3");
      assertThat(Integer.parseInt(chart.getAttribute("data-points"))).isPositive();
      assertThat(chart.findElements(By.tagName("canvas"))).hasSize(1);
      assertThat(chart.getText()).contains("delivered").contains("opened").contains("claimed");
      b.screenshot("global-timeline");
    } finally {
      players.forEach(TestClient::close);
    }
  }

  private static long delivered(long globalId) {
    TestHttp.Response r = TestHttp.get(page.node.adminPort(), "/admin/global-mail?limit=100", TestTokens.admin());
    return r.json().getJsonArray("mails").stream().map(JsonObject.class::cast)
        .filter(m -> m.getLong("globalMailId") == globalId).findFirst().orElseThrow().getLong("delivered");
  }

  private static JsonObject history() {
    TestHttp.Response r = TestHttp.get(page.node.adminPort(), "/admin/stats/history", TestTokens.admin());
    assertThat(r.status()).isEqualTo(200);
    return r.json().getJsonObject("nodes");
  }
}
