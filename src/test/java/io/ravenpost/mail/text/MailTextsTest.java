package io.ravenpost.mail.text;

import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.MailTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.mail.MailTesting;
import io.ravenpost.mail.global.GlobalTesting;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mail in every player's language, on a real node: texts and templates chosen when read by the
 * fallback rule (tag, its language, the default), per-player placeholders, a language switch,
 * global mail, template versions kept by each mail, and the checks of bad sends.
 */
class MailTextsTest {
  // A database of its own: the global mail sent here would reach every other test's players.
  static GlobalTesting.Scratch db;
  static TestCluster cluster;
  static RavenNode node;

  @BeforeAll
  static void start() {
    db = new GlobalTesting.Scratch();
    cluster = TestCluster.start(1, db.overrides(new JsonObject()));
    node = cluster.node(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
    db.close();
  }

  @Test
  void aTemplateIsShownInEachPlayersLanguageWithTheirNameAndFallsBack() {
    String id = templateId("welcome");
    putTemplate(id, texts("en", "Welcome {{player.name}}", "You won {{prize}}, player {{player.uid}}.")
        .put("fr", text("Bienvenue {{player.name}}", "Vous gagnez {{prize}}, joueur {{player.uid}}."))
        .put("de", text("Willkommen {{player.name}}", "Du gewinnst {{prize}}, Spieler {{player.uid}}.")), "en");
    long canadian = TestEnv.randomUid();
    long german = TestEnv.randomUid();
    long other = TestEnv.randomUid();
    TestClient fr = login(token(canadian, "Amélie", "fr-CA"), null);
    TestClient de = login(token(german, "Jonas", null), "de");
    TestClient ja = login(token(other, null, "ja"), null);

    send(new JsonObject().put("target", users(canadian, german, other)).put("template", id)
        .put("params", new JsonObject().put("prize", "<5 gold> & more")));

    assertShown(fr, "fr", "Bienvenue Amélie", "Vous gagnez <5 gold> & more, joueur " + canadian + ".");
    assertShown(de, "de", "Willkommen Jonas", "Du gewinnst <5 gold> & more, Spieler " + german + ".");
    assertShown(ja, "en", "Welcome player " + other, "You won <5 gold> & more, player " + other + ".");

    JsonObject admin = personal(http(node, "GET", "/admin/users/" + canadian + "/mail?limit=100", TestTokens.admin(),
        null, Map.of()).body().getJsonArray("mails"));
    assertThat(admin.getString("title")).as("the operators' view shows the player's language").isEqualTo("Bienvenue Amélie");
    String metrics = MailTesting.text(node, "/metrics");
    assertThat(metrics).contains("raven_mail_text_choices_total{match=\"language\"")
        .contains("raven_mail_text_choices_total{match=\"exact\"").contains("raven_mail_text_choices_total{match=\"default\"");
    List.of(fr, de, ja).forEach(TestClient::close);
  }

  @Test
  void aPlayerWhoSwitchesLanguageSeesTheNewOneAndPushesComeInIt() {
    long uid = TestEnv.randomUid();
    TestClient first = login(token(uid, "Ana", null), "pt-BR");
    send(new JsonObject().put("target", users(uid))
        .put("texts", texts("en", "Hello", "Your reward").put("pt", text("Olá", "Sua recompensa")))
        .put("defaultLocale", "en"));
    JsonObject pushed = first.nextPush("mail.new", 10_000).getJsonObject("body").getJsonObject("mail");
    assertThat(pushed.getString("title")).isEqualTo("Olá");
    assertThat(pushed.getString("locale")).isEqualTo("pt");
    assertShown(first, "pt", "Olá", "Sua recompensa");
    first.close();

    TestClient again = login(token(uid, "Ana", "pt"), "en-GB");
    assertShown(again, "en", "Hello", "Your reward");
    again.close();
    TestClient none = login(token(uid, "Ana", null), null);
    assertShown(none, "en", "Hello", "Your reward");
    none.close();
  }

  @Test
  void globalMailIsShownInTwoLanguagesFromOneStoredText() {
    long spanish = TestEnv.randomUid();
    long english = TestEnv.randomUid();
    String run = UUID.randomUUID().toString();
    Reply r = http(node, "POST", "/admin/mail", TestTokens.admin(), new JsonObject()
        .put("target", new JsonObject().put("type", "all"))
        .put("texts", texts("en", "Maintenance " + run, "Servers restart at noon.")
            .put("es", text("Mantenimiento " + run, "Reinicio al mediodía.")))
        .put("defaultLocale", "en"), Map.of());
    assertThat(r.status()).as(r.body().encode()).isEqualTo(201);
    long globalId = r.body().getLong("globalMailId");

    TestClient es = login(token(spanish, null, "es-MX"), null);
    TestClient en = login(token(english, null, null), null);
    JsonObject esMail = Poll.until("the global mail reached " + spanish, 20_000, () -> find(es, "Mantenimiento " + run));
    assertThat(esMail.getString("locale")).isEqualTo("es");
    JsonObject enMail = Poll.until("the global mail reached " + english, 20_000, () -> find(en, "Maintenance " + run));
    assertThat(enMail.getString("locale")).isEqualTo("en");
    assertThat(es.callSync("mail.open", MailTesting.id(esMail.getLong("mailId"))).getJsonObject("mail")
        .getString("body")).isEqualTo("Reinicio al mediodía.");

    JsonObject listed = http(node, "GET", "/admin/global-mail?limit=100", TestTokens.admin(), null, Map.of()).body()
        .getJsonArray("mails").stream().map(JsonObject.class::cast).filter(m -> m.getLong("globalMailId") == globalId)
        .findFirst().orElseThrow();
    assertThat(listed.getString("title")).as("operators see the default language").isEqualTo("Maintenance " + run);
    Row global = db.rows("SELECT text_id FROM global_mail WHERE id = ?", globalId).get(0);
    for (long uid : List.of(spanish, english)) {
      Row copy = db.rows("SELECT title, body, text_id FROM mailbox WHERE uid = ? AND global_id = ?", uid, globalId).get(0);
      assertThat(copy.getLong("text_id")).as("the copy points at the global mail's texts").isEqualTo(global.getLong("text_id"));
      assertThat(copy.getString("title") + copy.getString("body")).as("no per-player copy of the text").isEmpty();
    }
    es.close();
    en.close();
  }

  @Test
  void anOnlineSendIsPushedToEachSessionInItsLanguageWithItsName() {
    String id = templateId("event");
    putTemplate(id, texts("en", "{{event}} starts, {{player.name}}", "Join now")
        .put("es", text("{{event}} empieza, {{player.name}}", "Únete ya")), "en");
    long spanish = TestEnv.randomUid();
    long english = TestEnv.randomUid();
    TestClient es = login(token(spanish, "Lucía", null), "es-AR");
    TestClient en = login(token(english, null, "fr"), null);
    String run = UUID.randomUUID().toString().substring(0, 8);
    Reply r = http(node, "POST", "/admin/mail", TestTokens.admin(), new JsonObject()
        .put("target", new JsonObject().put("type", "online")).put("template", id)
        .put("params", new JsonObject().put("event", "Raid " + run)), Map.of());
    assertThat(r.status()).as(r.body().encode()).isEqualTo(201);

    assertThat(pushedTitle(es, run)).isEqualTo("Raid " + run + " empieza, Lucía");
    assertThat(pushedTitle(en, run)).isEqualTo("Raid " + run + " starts, player " + english);
    JsonObject listed = Poll.until("the copy is in the mailbox", 20_000, () -> find(es, "Raid " + run + " empieza, Lucía"));
    assertThat(listed.getString("locale")).isEqualTo("es");
    es.close();
    en.close();
  }

  /** The title of the first mail.new push whose title holds {@code marker} (other tests' pushes are skipped). */
  private static String pushedTitle(TestClient c, String marker) {
    JsonObject push = c.nextPush("mail.new", b -> b.getJsonObject("mail").getString("title").contains(marker), 20_000);
    assertThat(push).as("a mail.new push with " + marker).isNotNull();
    return push.getJsonObject("body").getJsonObject("mail").getString("title");
  }

  @Test
  void aMailKeepsTheTemplateVersionItWasSentWith() {
    String id = templateId("season");
    assertThat(putTemplate(id, texts("en", "Season {{n}} starts", "Good luck"), "en")).isEqualTo(1);
    long uid = TestEnv.randomUid();
    long v1 = send(new JsonObject().put("target", users(uid)).put("template", id)
        .put("params", new JsonObject().put("n", 3)));
    assertThat(putTemplate(id, texts("en", "Season {{n}} is here", "Have fun"), "en")).isEqualTo(2);
    long v2 = send(new JsonObject().put("target", users(uid)).put("template", id)
        .put("params", new JsonObject().put("n", 4)));

    TestClient c = login(token(uid, null, null), null);
    assertThat(c.callSync("mail.open", MailTesting.id(v1)).getJsonObject("mail").getString("title"))
        .isEqualTo("Season 3 starts");
    assertThat(c.callSync("mail.open", MailTesting.id(v2)).getJsonObject("mail").getString("title"))
        .isEqualTo("Season 4 is here");
    c.close();

    JsonObject one = http(node, "GET", "/admin/templates/" + id, TestTokens.admin(), null, Map.of()).body();
    assertThat(one.getInteger("version")).isEqualTo(2);
    assertThat(one.getJsonObject("texts").getJsonObject("en").getString("title")).isEqualTo("Season {{n}} is here");
    assertThat(one.getJsonArray("versions").stream().map(v -> ((JsonObject) v).getInteger("version")).toList())
        .containsExactly(2, 1);
    assertThat(one.getJsonArray("placeholders").getList()).containsExactly("n");
    JsonArray all = http(node, "GET", "/admin/templates", TestTokens.admin(), null, Map.of()).body()
        .getJsonArray("templates");
    assertThat(all.stream().map(JsonObject.class::cast).filter(t -> t.getString("id").equals(id))
        .map(t -> t.getInteger("version")).toList()).containsExactly(2);
    assertThat(http(node, "GET", "/admin/templates/" + templateId("never"), TestTokens.admin(), null, Map.of())
        .status()).isEqualTo(404);
  }

  @Test
  void badTextsAndTemplateSendsAreRefusedNamingTheField() {
    long uid = TestEnv.randomUid();
    JsonObject base = new JsonObject().put("target", users(uid));
    refused(base.copy().put("texts", texts("en", "t", "b").put("en_US!", text("t", "b"))).put("defaultLocale", "en"),
        400, "texts.en_US! ");
    JsonObject many = new JsonObject();
    for (int i = 0; i < Texts.MAX_LOCALES + 1; i++) {
      many.put("x" + (char) ('a' + i / 26) + (char) ('a' + i % 26), text("t", "b"));
    }
    refused(base.copy().put("texts", many).put("defaultLocale", "xaa"), 400, "at most " + Texts.MAX_LOCALES);
    refused(base.copy().put("texts", texts("en", "t", "b")).put("defaultLocale", "de"), 400,
        "defaultLocale de is not one of the locales");
    refused(base.copy().put("texts", texts("en", "t", "b")), 400, "defaultLocale is required");
    refused(base.copy().put("texts", texts("en", "t", "b")).put("defaultLocale", "en").put("title", "t"), 400,
        "give one of");
    refused(base.copy().put("texts", texts("en", "t".repeat(Texts.MAX_TITLE_CHARS + 1), "b")).put("defaultLocale", "en"),
        400, "texts.en.title is longer than");

    String id = templateId("gift");
    putTemplate(id, texts("en", "A gift from {{giver}}", "{{amount}} gems for {{player.name}}"), "en");
    refused(base.copy().put("template", id).put("params", new JsonObject().put("giver", "Mia")), 400,
        "params.amount is required by template " + id);
    refused(base.copy().put("template", templateId("missing")), 404, "does not exist");
    refused(base.copy().put("template", "no spaces"), 400, "template must be a template id");

    Reply section = http(node, "PUT", "/admin/templates/" + templateId("bad"), TestTokens.admin(),
        new JsonObject().put("texts", texts("en", "{{#vip}}Hi{{/vip}}", "b")).put("defaultLocale", "en"), Map.of());
    assertThat(section.status()).isEqualTo(400);
    assertThat(section.body().getJsonObject("error").getString("message")).contains("not sections");

    TestClient c = TestClient.ws(node.wsPort());
    assertThat(Await.result(c.request("auth.login", new JsonObject().put("token", token(uid, null, null))
        .put("locale", "not a tag"))).getJsonObject("error").getString("code")).isEqualTo(ErrorCode.BAD_REQUEST.name());
    c.close();
  }

  @Test
  void aScheduleTakesTheSameContentForms() {
    String id = templateId("daily");
    putTemplate(id, texts("en", "Day {{day}}", "Claim it"), "en");
    JsonObject mail = new JsonObject().put("target", users(TestEnv.randomUid())).put("template", id)
        .put("params", new JsonObject().put("day", 1));
    JsonObject schedule = new JsonObject().put("name", "daily " + id).put("cron", "0 9 * * *").put("mail", mail);
    assertThat(http(node, "POST", "/admin/schedules", TestTokens.admin(), schedule, Map.of()).status()).isEqualTo(201);

    JsonObject texts = mail.copy();
    texts.remove("template");
    texts.remove("params");
    texts.put("texts", texts("en", "t", "b").put("e n", text("t", "b"))).put("defaultLocale", "en");
    Reply bad = http(node, "POST", "/admin/schedules", TestTokens.admin(), schedule.copy().put("mail", texts), Map.of());
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body().getJsonObject("error").getString("message")).contains("mail.texts.e n");
  }

  private static void refused(JsonObject body, int status, String message) {
    Reply r = http(node, "POST", "/admin/mail", TestTokens.admin(), body, Map.of());
    assertThat(r.status()).as(r.body().encode()).isEqualTo(status);
    assertThat(r.body().getJsonObject("error").getString("message")).contains(message);
  }

  private static void assertShown(TestClient c, String locale, String title, String body) {
    JsonObject summary = personal(c.callSync("mail.list", new JsonObject().put("limit", 100)).getJsonArray("mails"));
    assertThat(summary.getString("title")).isEqualTo(title);
    assertThat(summary.getString("locale")).isEqualTo(locale);
    JsonObject full = c.callSync("mail.open", MailTesting.id(summary.getLong("mailId"))).getJsonObject("mail");
    assertThat(full.getString("title")).isEqualTo(title);
    assertThat(full.getString("body")).isEqualTo(body);
    assertThat(full.getString("locale")).isEqualTo(locale);
  }

  /** The newest personal mail of a page: global mail of other tests may reach this player too. */
  private static JsonObject personal(JsonArray mails) {
    return mails.stream().map(JsonObject.class::cast).filter(m -> !"global".equals(m.getString("kind"))).findFirst()
        .orElseThrow();
  }

  private static JsonObject find(TestClient c, String title) {
    return c.callSync("mail.list", new JsonObject().put("limit", 100)).getJsonArray("mails").stream()
        .map(JsonObject.class::cast).filter(m -> m.getString("title").equals(title)).findFirst().orElse(null);
  }

  private static long send(JsonObject body) {
    return MailTesting.adminSend(node, body).get(0);
  }

  private static int putTemplate(String id, JsonObject texts, String defaultLocale) {
    Reply r = http(node, "PUT", "/admin/templates/" + id, TestTokens.admin(),
        new JsonObject().put("texts", texts).put("defaultLocale", defaultLocale), Map.of());
    assertThat(r.status()).as(r.body().encode()).isEqualTo(200);
    assertThat(r.body().getString("id")).isEqualTo(id);
    return r.body().getInteger("version");
  }

  private static TestClient login(String token, String locale) {
    TestClient c = TestClient.ws(node.wsPort());
    JsonObject req = new JsonObject().put("token", token);
    if (locale != null) {
      req.put("locale", locale);
    }
    c.callSync("auth.login", req);
    return c;
  }

  private static String token(long uid, String name, String locale) {
    JsonObject claims = new JsonObject().put("sub", Long.toString(uid)).put("role", "player")
        .put("created_at", System.currentTimeMillis() / 1000 - 3600);
    if (name != null) {
      claims.put("name", name);
    }
    if (locale != null) {
      claims.put("locale", locale);
    }
    return TestTokens.mint(claims);
  }

  private static String templateId(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static JsonObject texts(String locale, String title, String body) {
    return new JsonObject().put(locale, text(title, body));
  }

  private static JsonObject text(String title, String body) {
    return new JsonObject().put("title", title).put("body", body);
  }
}
