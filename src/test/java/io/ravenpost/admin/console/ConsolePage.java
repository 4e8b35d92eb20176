package io.ravenpost.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.admin.operators.OperatorStore;
import io.ravenpost.admin.operators.Role;
import io.ravenpost.api.AuditContext;
import io.ravenpost.mail.global.GlobalTesting;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * What the console's browser tests share: one node on a scratch database (global mail reaches every
 * player of a database), operators with their generated passwords, signing in, and the API's own
 * view of what the console did.
 *
 * <p>Faults between the page and the server are made in the page: {@code executeScript} wraps
 * {@code window.fetch}, which the console's modules look up at every request, so the next request
 * to a path gets exactly what chromium's fetch hands the page for that fault: a {@code Response}
 * with a proxy's HTML 502 page, or a rejection with {@code TypeError} as for a dropped connection,
 * before or after the server acted. This needs nothing but WebDriver; DevTools interception
 * (Selenium's {@code Network}) binds to one Chrome protocol version per Selenium release, and
 * Debian's chromium moves on by itself.
 */
final class ConsolePage implements AutoCloseable {
  static final Path SHOTS = Path.of("target", "console-screenshots");

  /** Arguments: a path prefix and the fault of the next request to it (then fetch is itself again). */
  static final String FAULT_NEXT = """
      const [prefix, fault] = arguments;
      const previous = window.fetch;
      window.fetch = async (url, init) => {
        if (!String(url).startsWith(prefix)) return previous.call(window, url, init);
        window.fetch = previous;
        if (fault === 'proxy502') {
          return new Response('<html><head><title>502 Bad Gateway</title></head><body><center>'
              + '<h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
              { status: 502, statusText: 'Bad Gateway', headers: { 'Content-Type': 'text/html' } });
        }
        if (fault === 'answerLost') await previous.call(window, url, init);
        throw new TypeError('Failed to fetch');
      };""";

  /** Keeps the Idempotency-Key of every send the page makes in {@code window.sendKeys}. */
  static final String RECORD_SEND_KEYS = """
      window.sendKeys = [];
      const previous = window.fetch;
      window.fetch = (url, init) => {
        if (String(url) === '/admin/mail') window.sendKeys.push(init.headers['Idempotency-Key']);
        return previous.call(window, url, init);
      };""";

  /** A send from the page's session, bypassing its buttons; answers the HTTP status. Argument: a uid. */
  static final String SEND_AS_PAGE = """
      const [uid, done] = arguments;
      fetch('/console/session').then((r) => r.json()).then((s) => fetch('/admin/mail', {
        method: 'POST', headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrfToken },
        body: JSON.stringify({ target: { type: 'users', uids: [String(uid)] }, title: 'not allowed',
          body: 'sent around the page' }),
      })).then((r) => done(r.status), (e) => done(String(e)));""";

  final RavenNode node;
  private final GlobalTesting.Scratch scratch;
  private final TestCluster cluster;
  private final String base;
  private final Map<String, String> passwords = new HashMap<>();

  ConsolePage() {
    this(new JsonObject());
  }

  /** With node config {@code overrides} on top of the scratch database's. */
  ConsolePage(JsonObject overrides) {
    scratch = new GlobalTesting.Scratch();
    cluster = TestCluster.start(1, scratch.overrides(overrides));
    node = cluster.node(0);
    base = "http://127.0.0.1:" + node.adminPort();
  }

  /** A new browser on the sign-in page. */
  Browser browser() throws IOException {
    Browser b = new Browser(SHOTS);
    b.open(base + "/console/");
    b.visible("sign-in-name");
    return b;
  }

  String addOperator(String prefix, Role role) {
    String name = prefix + "-" + Long.toHexString(TestEnv.randomUid() & 0xffffffL);
    OperatorStore store = new OperatorStore(node.context().vertx(), node.context().db());
    passwords.put(name, Await.result(store.add(name, role, new AuditContext("test", "setup", "test")))
        .getString("password"));
    return name;
  }

  void signIn(Browser b, String name) {
    b.type("sign-in-name", name);
    b.type("sign-in-password", passwords.get(name));
    b.click("sign-in-submit");
    b.textOf("who-name", name);
  }

  void removeOperator(String name) {
    assertThat(TestHttp.send(node.adminPort(), "DELETE", "/admin/operators/" + name, TestTokens.admin(), null,
        Map.of()).status()).isEqualTo(204);
  }

  /** Signs the browser's session out from another client, as a second tab or a script would. */
  void signOutElsewhere(Cookie session) {
    Map<String, String> cookie = Map.of("Cookie", session.getName() + "=" + session.getValue());
    String csrf = TestHttp.send(node.adminPort(), "GET", "/console/session", null, null, cookie).json()
        .getString("csrfToken");
    assertThat(TestHttp.send(node.adminPort(), "DELETE", "/console/session", null, null,
        Map.of("Cookie", cookie.get("Cookie"), ConsoleRoutes.CSRF_HEADER, csrf)).status()).isEqualTo(204);
  }

  /** Fills the send form for one player. */
  static void compose(Browser b, long uid, String title, String body) {
    b.click("nav-send");
    b.type("send-uids", Long.toString(uid));
    b.type("send-title", title);
    b.type("send-body", body);
  }

  /** Adds an attachment row to the send form: {@code amount} of currency {@code id}. */
  static void attach(Browser b, String id, long amount) {
    b.click("send-add-attachment");
    b.driver().findElement(By.cssSelector("#send-attachments .att-id")).sendKeys(id);
    WebElement field = b.driver().findElement(By.cssSelector("#send-attachments .att-amount"));
    field.clear();
    field.sendKeys(Long.toString(amount));
  }

  /**
   * A write behind a confirmation: its button {@code action}, the panel {@code action-confirm} it opens
   * (screenshot {@code shot}), then that panel's {@code action-confirm-button}.
   */
  static void confirm(Browser b, String action, String shot) throws IOException {
    b.click(action);
    b.visible(action + "-confirm");
    b.screenshot(shot);
    b.click(action + "-confirm-button");
  }

  /** The audit page filtered on one actor. */
  static void filterAudit(Browser b, String actor) {
    b.click("nav-audit");
    b.type("audit-actor", actor);
    b.click("audit-filter");
  }

  /** The Idempotency-Key of every send since {@link #RECORD_SEND_KEYS}, in order. */
  @SuppressWarnings("unchecked")
  static List<String> sendKeys(Browser b) {
    return (List<String>) b.script("return window.sendKeys;");
  }

  /** The player page of {@code uid}. */
  static void lookUp(Browser b, long uid) {
    b.click("nav-player");
    b.type("player-uid", Long.toString(uid));
    b.click("player-lookup");
  }

  /** The id the send result names, once it names one. */
  static long sentId(Browser b, String what) {
    return Long.parseLong(b.textOf("send-result", what).replaceAll("\\D+", ""));
  }

  /** The global mail list's row of {@code globalId}, once it shows. */
  static WebElement globalRow(Browser b, long globalId) {
    return row(b, "global-table", globalId);
  }

  /** The row of table {@code tableId} whose first cell is {@code id}, once it shows. */
  static WebElement row(Browser b, String tableId, long id) {
    return b.waiting().until(d -> d.findElements(By.cssSelector("#" + tableId + " tbody tr")).stream()
        .filter(tr -> tr.findElement(By.tagName("td")).getText().equals(Long.toString(id)))
        .findFirst().orElse(null));
  }

  /** A statement on the node's (scratch) database, for what the test must arrange behind the API. */
  void execute(String sql, Object... args) {
    scratch.execute(sql, args);
  }

  long sendGlobal(String title) {
    TestHttp.Response r = TestHttp.post(node.adminPort(), "/admin/mail", TestTokens.admin(), new JsonObject()
        .put("target", new JsonObject().put("type", "all")).put("title", title).put("body", "to everyone"));
    assertThat(r.status()).isEqualTo(201);
    return r.json().getLong("globalMailId");
  }

  JsonArray mailbox(long uid) {
    TestHttp.Response r = TestHttp.get(node.adminPort(), "/admin/users/" + uid + "/mail?limit=100", TestTokens.admin());
    assertThat(r.status()).isEqualTo(200);
    return r.json().getJsonArray("mails");
  }

  List<Long> mailIds(long uid, String title) {
    return mailbox(uid).stream().map(JsonObject.class::cast).filter(m -> title.equals(m.getString("title")))
        .map(m -> m.getLong("mailId")).toList();
  }

  JsonArray audit(String query) {
    TestHttp.Response r = TestHttp.get(node.adminPort(), "/admin/audit" + query, TestTokens.admin());
    assertThat(r.status()).isEqualTo(200);
    return r.json().getJsonArray("entries");
  }

  static List<String> actions(JsonArray entries) {
    return entries.stream().map(e -> ((JsonObject) e).getString("action")).toList();
  }

  @Override
  public void close() {
    cluster.close();
    scratch.close();
  }
}
