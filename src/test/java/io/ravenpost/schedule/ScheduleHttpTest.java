package io.ravenpost.schedule;

import static io.ravenpost.schedule.ScheduleTesting.DAILY;
import static io.ravenpost.schedule.ScheduleTesting.body;
import static io.ravenpost.schedule.ScheduleTesting.mailTo;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operators' schedule routes: creating, listing, inspecting, deleting (each write audited),
 * the preview of the next five runs, and every field checked before anything is stored, with a
 * message naming it (the mail as {@code POST /admin/mail} checks its body).
 */
class ScheduleHttpTest {
  static ScheduleTesting.Bed bed;
  static RavenNode node;
  static String admin;

  @BeforeAll
  static void start() {
    bed = new ScheduleTesting.Bed(1);
    node = bed.node(0);
    admin = TestTokens.admin();
  }

  @AfterAll
  static void stop() {
    bed.close();
  }

  @Test
  void aScheduleIsCreatedListedInspectedAndDeleted() {
    long uid = TestEnv.randomUid();
    long before = System.currentTimeMillis();
    JsonObject req = body("Weekday login bonus", "0 9 * * 1-5", mailTo(uid, "Your bonus"))
        .put("timezone", "Europe/Paris");
    TestHttp.Response created = TestHttp.post(node.adminPort(), "/admin/schedules", admin, req);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    long id = created.json().getLong("scheduleId");
    long next = created.json().getLong("nextRunAt");
    CronRule rule = CronRule.parse(new JsonObject().put("cron", "0 9 * * 1-5").put("timezone", "Europe/Paris"));
    assertThat(next).isEqualTo(rule.after(before).getAsLong());

    JsonObject one = ScheduleTesting.get(node, id);
    assertThat(one.getString("name")).isEqualTo("Weekday login bonus");
    assertThat(one.getString("timezone")).isEqualTo("Europe/Paris");
    assertThat(one.getLong("nextRunAt")).isEqualTo(next);
    assertThat(one.getValue("lastRunAt")).isNull();
    assertThat(one.getJsonObject("mail").getString("title")).isEqualTo("Your bonus");
    assertThat(one.getString("createdBy")).startsWith("token:");
    assertThat(one.getJsonArray("runs")).isEmpty();
    assertThat(ids(TestHttp.get(node.adminPort(), "/admin/schedules?limit=100", admin).json())).contains(id);

    assertThat(TestHttp.send(node.adminPort(), "DELETE", "/admin/schedules/" + id, admin, null, Map.of()).status())
        .isEqualTo(204);
    JsonObject deleted = ScheduleTesting.get(node, id);
    assertThat(deleted.getLong("deletedAt")).isNotNull();
    assertThat(deleted.getValue("nextRunAt")).as("no run after a delete").isNull();
    assertThat(ids(TestHttp.get(node.adminPort(), "/admin/schedules?limit=100", admin).json())).doesNotContain(id);
    assertThat(TestHttp.send(node.adminPort(), "DELETE", "/admin/schedules/" + id, admin, null, Map.of()).status())
        .as("deleting twice is not an error").isEqualTo(204);
    assertThat(TestHttp.send(node.adminPort(), "DELETE", "/admin/schedules/" + (id + 1_000_000), admin, null,
        Map.of()).status()).isEqualTo(404);
    assertThat(TestHttp.get(node.adminPort(), "/admin/schedules/" + (id + 1_000_000), admin).status()).isEqualTo(404);
    assertThat(TestHttp.get(node.adminPort(), "/admin/schedules/abc", admin).status()).isEqualTo(400);

    List<String> trail = TestHttp.get(node.adminPort(), "/admin/audit?limit=200", admin).json().getJsonArray("entries")
        .stream().map(JsonObject.class::cast).filter(e -> e.getString("target").startsWith("schedule " + id))
        .map(e -> e.getString("action") + " " + e.getString("route") + " " + e.getString("result")).toList();
    String deletion = "schedule.delete DELETE /admin/schedules/" + id + " ok";
    assertThat(trail).containsExactlyInAnyOrder("schedule.create POST /admin/schedules ok", deletion, deletion);
  }

  @Test
  void theListIsPagedNewestFirst() {
    long uid = TestEnv.randomUid();
    long a = ScheduleTesting.create(node, body("page a", DAILY, mailTo(uid, "a")));
    long b = ScheduleTesting.create(node, body("page b", DAILY, mailTo(uid, "b")));
    JsonObject first = TestHttp.get(node.adminPort(), "/admin/schedules?limit=1", admin).json();
    assertThat(ids(first)).containsExactly(b);
    String cursor = first.getString("nextCursor");
    JsonObject second = TestHttp.get(node.adminPort(), "/admin/schedules?limit=1&cursor=" + cursor, admin).json();
    assertThat(ids(second)).containsExactly(a);
    assertThat(TestHttp.get(node.adminPort(), "/admin/schedules?limit=0", admin).status()).isEqualTo(400);
  }

  @Test
  void everyFieldIsCheckedBeforeAnythingIsStored() {
    long uid = TestEnv.randomUid();
    JsonObject good = body("checked", DAILY, mailTo(uid, "checked"));
    long stored = bed.db.count("SELECT COUNT(*) FROM schedules");
    refused(without(good, "name"), "name is required");
    refused(good.copy().put("name", "n".repeat(129)), "name is longer than 128");
    refused(without(good, "cron"), "cron is required");
    refused(good.copy().put("cron", "0 3 * *"), "cron is not a Unix cron expression of 5 fields");
    refused(good.copy().put("cron", "0 25 * * *"), "cron is not");
    refused(good.copy().put("cron", "0 0 30 2 *"), "cron leaves no run");
    refused(good.copy().put("timezone", "Atlantis/Capital"), "timezone must be an IANA time zone id");
    refused(good.copy().put("startsAt", 2_000_000_000_000L).put("endsAt", 2_000_000_000_000L), "endsAt must be later");
    refused(good.copy().put("endsAt", 1_000L), "endsAt leaves no run");
    refused(without(good, "mail"), "mail is required");
    refused(good.copy().put("mail", "hello"), "mail must be an object");
    refused(good.copy().put("mail", without(mailTo(uid, "t"), "title")), "mail.title is required");
    refused(good.copy().put("mail", mailTo(uid, "t").put("target", new JsonObject().put("type", "everyone"))),
        "mail.target.type must be one of");
    refused(good.copy().put("mail", mailTo(uid, "t").put("attachments", new JsonArray()
        .add(new JsonObject().put("type", "gem").put("id", "x").put("amount", 1)))), "mail.attachments");
    refused(good.copy().put("mail", mailTo(uid, "t").put("target", new JsonObject().put("type", "segment"))),
        "mail.");
    refused(good.copy().put("mail", mailTo(uid, "t").put("ttlSeconds", 0)), "mail.ttlSeconds");
    refused(good.copy().put("mail", mailTo(uid, "t").put("idempotencyKey", "k")), "mail.idempotencyKey");
    assertThat(bed.db.count("SELECT COUNT(*) FROM schedules")).as("nothing stored").isEqualTo(stored);
    assertThat(TestHttp.post(node.adminPort(), "/admin/schedules", TestTokens.service(), good).status())
        .as("service tokens may not schedule").isEqualTo(403);
  }

  @Test
  void thePreviewShowsTheNextFiveRunsInTheZone() {
    TestHttp.Response r = preview("cron=30 2 * * *&timezone=America/New_York");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    JsonArray runs = r.json().getJsonArray("runs");
    assertThat(runs).hasSize(ScheduleRoutes.PREVIEW_RUNS);
    CronRule rule = CronRule.parse(new JsonObject().put("cron", "30 2 * * *").put("timezone", "America/New_York"));
    for (int i = 1; i < runs.size(); i++) {
      assertThat(rule.after(runs.getLong(i - 1)).getAsLong()).isEqualTo(runs.getLong(i));
    }
    assertThat(r.json().getJsonArray("local").getString(0)).contains("T02:30");

    long startsAt = 4_102_444_800_000L; // 2100-01-01T00:00Z
    JsonObject windowed = preview("cron=0 9 * * *&startsAt=" + startsAt + "&endsAt=" + (startsAt + 3 * 86_400_000L))
        .json();
    assertThat(windowed.getJsonArray("runs")).containsExactly(startsAt + 9 * 3_600_000L,
        startsAt + 33 * 3_600_000L, startsAt + 57 * 3_600_000L);
    assertThat(windowed.getString("timezone")).isEqualTo("UTC");
    assertThat(preview("cron=every day").errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(preview("timezone=UTC").json().getJsonObject("error").getString("message")).contains("cron");
  }

  private static TestHttp.Response preview(String query) {
    String q = URLEncoder.encode(query, StandardCharsets.UTF_8).replace("%3D", "=").replace("%26", "&");
    return TestHttp.get(node.adminPort(), "/admin/schedules/preview?" + q, admin);
  }

  private static void refused(JsonObject req, String message) {
    TestHttp.Response r = TestHttp.post(node.adminPort(), "/admin/schedules", admin, req);
    assertThat(r.status()).as(req.encode() + " -> " + r.body()).isEqualTo(400);
    assertThat(r.json().getJsonObject("error").getString("message")).as(req.encode()).contains(message);
  }

  private static JsonObject without(JsonObject o, String field) {
    JsonObject c = o.copy();
    c.remove(field);
    return c;
  }

  private static List<Long> ids(JsonObject page) {
    return page.getJsonArray("schedules").stream().map(JsonObject.class::cast).map(s -> s.getLong("scheduleId"))
        .toList();
  }
}
