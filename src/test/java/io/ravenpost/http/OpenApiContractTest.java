package io.ravenpost.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.admin.operators.OperatorStore;
import io.ravenpost.admin.operators.Role;
import io.ravenpost.api.AuditContext;
import io.ravenpost.mail.MailTesting;
import io.ravenpost.mail.global.GlobalTesting;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/openapi.yaml is true: every operation in it gets valid and invalid requests, and every answer
 * (status, headers, body) is validated against it with vertx-openapi; a token signed with the player
 * secret is refused 401 on every authenticated operation, whatever its role. The node runs on a
 * scratch database because the cases send and retract global mail.
 */
class OpenApiContractTest {
  /** Operations no request can get wrong (no parameters, no body, no authentication). */
  private static final Set<String> NO_INVALID = Set.of("health", "healthLive", "healthReady", "metrics", "openapi",
      "consoleSession");
  static GlobalTesting.Scratch scratch;
  static TestCluster cluster;
  static RavenNode node;
  static OpenAPIContract contract;
  static ResponseValidator validator;
  static Map<String, String> viewer;
  static Map<String, String> operator;
  static final Map<String, List<Integer>> SEEN = new HashMap<>();
  static final List<String> MISMATCHES = new ArrayList<>();

  @BeforeAll
  static void start() {
    scratch = new GlobalTesting.Scratch();
    // Grants dead-letter within seconds, so the dead-letter routes have one to show and resend.
    cluster = TestCluster.start(1, scratch.overrides(new JsonObject().put("grants", new JsonObject()
        .put("retentionDays", 0.00002).put("sweepMs", 200))));
    node = cluster.node(0);
    contract = Await.result(OpenAPIContract.from(TestClient.vertx(), "docs/openapi.yaml"));
    validator = ResponseValidator.create(TestClient.vertx(), contract);
    viewer = session(addOperator("v", Role.VIEWER), Role.VIEWER);
    operator = session(addOperator("o", Role.OPERATOR), Role.OPERATOR);
  }

  @AfterAll
  static void stop() {
    cluster.close();
    scratch.close();
  }

  @Test
  void everyOperationAnswersAsDocumented() {
    String a = TestTokens.admin();
    String s = TestTokens.service();
    String p = TestTokens.playerSigned("admin");
    long uid = TestEnv.randomUid();
    JsonObject mail = new JsonObject().put("target", new JsonObject().put("type", "users")
        .put("uids", new JsonArray().add(uid))).put("title", "contract").put("body", "b");
    JsonObject global = new JsonObject().put("target", new JsonObject().put("type", "all")).put("title", "g").put("body", "b");

    call("health", "GET", "/health", null, null, Map.of(), 200);
    call("healthLive", "GET", "/health/live", null, null, Map.of(), 200);
    call("healthReady", "GET", "/health/ready", null, null, Map.of(), 200);
    call("metrics", "GET", "/metrics", null, null, Map.of(), 200);
    call("openapi", "GET", "/openapi.yaml", null, null, Map.of(), 200);
    call("console", "GET", "/console/", null, null, Map.of(), 200);
    call("console", "GET", "/console/", null, null, Map.of("Range", "bytes=99999999-"), 400);

    String name = addOperator("signin", Role.VIEWER);
    call("consoleSignIn", "POST", "/console/session", null, new JsonObject(), Map.of(), 400);
    call("consoleSignIn", "POST", "/console/session", null, new JsonObject().put("name", name).put("password", "wrong-password"),
        Map.of(), 401);
    call("consoleSignIn", "POST", "/console/session", null, new JsonObject().put("name", name)
        .put("password", PASSWORDS.get(name)), Map.of(), 200);
    call("consoleSession", "GET", "/console/session", null, null, viewer, 200);
    call("consoleSession", "GET", "/console/session", null, null, Map.of(), 401);
    Map<String, String> doomed = session(name, Role.VIEWER);
    call("consoleSignOut", "DELETE", "/console/session", null, null, Map.of("Cookie", doomed.get("Cookie")), 403);
    call("consoleSignOut", "DELETE", "/console/session", null, null, doomed, 204);

    JsonObject sent = call("adminSendMail", "POST", "/admin/mail", a, mail, Map.of(), 201).json();
    call("adminSendMail", "POST", "/admin/mail", a, mail.copy().put("title", ""), Map.of(), 400);
    long sendId = sent.getLong("sendId");
    long mailId = sent.getJsonArray("mailIds").getLong(0);
    long recipient = mail.getJsonObject("target").getJsonArray("uids").getLong(0);
    call("recallMail", "DELETE", "/admin/users/" + recipient + "/mail/" + mailId, null, null, viewer, 403);
    call("recallMail", "DELETE", "/admin/users/" + recipient + "/mail/" + mailId, null, null, operator, 204);
    call("recallMail", "DELETE", "/admin/users/" + recipient + "/mail/x", a, null, Map.of(), 400);
    call("recallMail", "DELETE", "/admin/users/" + recipient + "/mail/" + (mailId + 1_000_000), a, null, Map.of(), 404);
    call("sendView", "GET", "/admin/sends/" + sendId, null, null, viewer, 200);
    call("sendView", "GET", "/admin/sends/x", a, null, Map.of(), 400);
    call("sendView", "GET", "/admin/sends/" + (sendId + 1_000_000_000L), a, null, Map.of(), 404);
    call("recallSend", "DELETE", "/admin/sends/" + sendId, a, null, Map.of(), 200);
    call("sendView", "GET", "/admin/sends/" + sendId, a, null, Map.of(), 200);
    call("recallSend", "DELETE", "/admin/sends/" + (sendId + 1_000_000_000L), a, null, Map.of(), 404);
    call("recallSend", "DELETE", "/admin/sends/" + sendId, s, null, Map.of(), 403);
    call("adminSendMail", "POST", "/admin/mail", a, mail.copy().put("attachments", new JsonArray()
        .add(new JsonObject().put("type", "gem").put("id", "x").put("amount", 1))), Map.of(), 400);
    call("adminSendMail", "POST", "/admin/mail", a, mail.copy().put("body", "x".repeat(1 << 20)), Map.of(), 413);
    call("adminSendMail", "POST", "/admin/mail", s, mail, Map.of(), 403);
    call("adminSendMail", "POST", "/admin/mail", null, mail, viewer, 403);
    call("adminSendMail", "POST", "/admin/mail", null, mail, Map.of("Cookie", operator.get("Cookie")), 403);
    call("adminSendMail", "POST", "/admin/mail", null, mail, operator, 201);
    String key = "contract-" + uid;
    call("adminSendMail", "POST", "/admin/mail", a, mail, Map.of("Idempotency-Key", key), 201);
    call("adminSendMail", "POST", "/admin/mail", a, mail.copy().put("title", "other"), Map.of("Idempotency-Key", key), 422);

    call("internalSendMail", "POST", "/internal/mail", s, mail, Map.of("Idempotency-Key", "i" + key), 201);
    call("internalSendMail", "POST", "/internal/mail", s, mail, Map.of("Idempotency-Key", "i" + key), 201);
    call("internalSendMail", "POST", "/internal/mail", s, mail, Map.of(), 400);
    call("internalSendMail", "POST", "/internal/mail", null, mail, viewer, 403);

    long gid = call("adminSendMail", "POST", "/admin/mail", a, global, Map.of(), 201).json().getLong("globalMailId");
    call("listGlobalMail", "GET", "/admin/global-mail?limit=5", a, null, Map.of(), 200);
    call("globalMailTimeline", "GET", "/admin/global-mail/" + gid + "/timeline", null, null, viewer, 200);
    call("globalMailTimeline", "GET", "/admin/global-mail/x/timeline", a, null, Map.of(), 400);
    call("listGlobalMail", "GET", "/admin/global-mail?limit=1000", a, null, Map.of(), 400);
    call("listGlobalMail", "GET", "/admin/global-mail", null, null, Map.of(), 401);
    call("previewAudience", "POST", "/admin/global-mail/preview", null, new JsonObject().put("target", global
        .getJsonObject("target")), viewer, 200);
    call("previewAudience", "POST", "/admin/global-mail/preview", a, new JsonObject().put("target", new JsonObject()
        .put("type", "everyone")), Map.of(), 400);
    call("retractGlobalMail", "DELETE", "/admin/global-mail/" + gid, null, null, viewer, 403);
    call("retractGlobalMail", "DELETE", "/admin/global-mail/" + gid, a, null, Map.of(), 204);
    call("retractGlobalMail", "DELETE", "/admin/global-mail/" + (gid + 1_000_000), a, null, Map.of(), 404);
    call("retractGlobalMail", "DELETE", "/admin/global-mail/abc", a, null, Map.of(), 400);

    JsonObject schedule = new JsonObject().put("name", "contract").put("cron", "0 3 * * *").put("mail", mail);
    long sid = call("createSchedule", "POST", "/admin/schedules", null, schedule, operator, 201).json()
        .getLong("scheduleId");
    call("createSchedule", "POST", "/admin/schedules", a, schedule.copy().put("cron", "daily"), Map.of(), 400);
    call("createSchedule", "POST", "/admin/schedules", null, schedule, viewer, 403);
    call("listSchedules", "GET", "/admin/schedules?limit=5", null, null, viewer, 200);
    call("listSchedules", "GET", "/admin/schedules?limit=0", a, null, Map.of(), 400);
    call("previewSchedule", "GET", "/admin/schedules/preview?cron=30+2+*+*+*&timezone=America/New_York", null, null,
        viewer, 200);
    call("previewSchedule", "GET", "/admin/schedules/preview?cron=30+2+*+*+*&timezone=EST5", a, null, Map.of(), 400);
    call("getSchedule", "GET", "/admin/schedules/" + sid, a, null, Map.of(), 200);
    call("getSchedule", "GET", "/admin/schedules/" + (sid + 1_000_000), a, null, Map.of(), 404);
    call("deleteSchedule", "DELETE", "/admin/schedules/" + sid, null, null, viewer, 403);
    call("deleteSchedule", "DELETE", "/admin/schedules/" + sid, a, null, Map.of(), 204);
    call("deleteSchedule", "DELETE", "/admin/schedules/" + (sid + 1_000_000), a, null, Map.of(), 404);
    call("getSchedule", "GET", "/admin/schedules/" + sid, null, null, viewer, 200);

    String tid = "contract-" + Long.toHexString(uid);
    JsonObject texts = new JsonObject().put("texts", new JsonObject()
        .put("en", new JsonObject().put("title", "Hi {{player.name}}").put("body", "{{gift}}"))
        .put("fr", new JsonObject().put("title", "Salut {{player.name}}").put("body", "{{gift}}"))).put("defaultLocale", "en");
    call("putTemplate", "PUT", "/admin/templates/" + tid, null, texts, operator, 200);
    call("putTemplate", "PUT", "/admin/templates/" + tid, a, texts.copy().put("defaultLocale", "de"), Map.of(), 400);
    call("putTemplate", "PUT", "/admin/templates/" + tid, null, texts, viewer, 403);
    call("listTemplates", "GET", "/admin/templates", null, null, viewer, 200);
    call("listTemplates", "GET", "/admin/templates", s, null, Map.of(), 403);
    call("getTemplate", "GET", "/admin/templates/" + tid, a, null, Map.of(), 200);
    call("getTemplate", "GET", "/admin/templates/no-" + tid, a, null, Map.of(), 404);
    call("getTemplate", "GET", "/admin/templates/bad%20id", a, null, Map.of(), 400);
    JsonObject templated = mail.copy();
    templated.remove("title");
    templated.remove("body");
    call("adminSendMail", "POST", "/admin/mail", a, templated.copy().put("template", tid)
        .put("params", new JsonObject().put("gift", "5 gold")), Map.of(), 201);
    call("adminSendMail", "POST", "/admin/mail", a, templated.copy().put("template", tid), Map.of(), 400);
    call("adminSendMail", "POST", "/admin/mail", a, templated.copy().put("template", "no-" + tid), Map.of(), 404);

    call("playerMailbox", "GET", "/admin/users/" + uid + "/mail?limit=2", a, null, Map.of(), 200);
    call("playerMailbox", "GET", "/admin/users/" + uid + "/mail?limit=0", a, null, Map.of(), 400);
    call("playerMailbox", "GET", "/admin/users/" + uid + "/mail", s, null, Map.of(), 403);
    call("kickPlayer", "POST", "/admin/users/" + uid + "/kick", null, null, operator, 204);
    call("kickPlayer", "POST", "/admin/users/abc/kick", a, null, Map.of(), 400);
    call("kickPlayer", "POST", "/admin/users/" + uid + "/kick", null, null, viewer, 403);
    call("playerOnline", "GET", "/admin/online/" + uid, null, null, viewer, 200);
    call("playerOnline", "GET", "/admin/online/1x", a, null, Map.of(), 400);
    call("stats", "GET", "/admin/stats", a, null, Map.of(), 200);
    call("stats", "GET", "/admin/stats", s, null, Map.of(), 403);
    call("statsHistory", "GET", "/admin/stats/history", null, null, viewer, 200);

    call("audit", "GET", "/admin/audit?limit=3", null, null, viewer, 200);
    call("audit", "GET", "/admin/audit?limit=500", a, null, Map.of(), 400);
    call("audit", "GET", "/admin/audit?cursor=yesterday", a, null, Map.of(), 400);
    call("audit", "GET", "/admin/audit", s, null, Map.of(), 403);

    String op = "c" + Long.toHexString(uid & 0xffffff);
    call("listOperators", "GET", "/admin/operators", a, null, Map.of(), 200);
    call("listOperators", "GET", "/admin/operators", null, null, operator, 403);
    call("addOperator", "POST", "/admin/operators", a, new JsonObject().put("name", op).put("role", "viewer"), Map.of(), 201);
    call("addOperator", "POST", "/admin/operators", a, new JsonObject().put("name", "Bad Name").put("role", "viewer"),
        Map.of(), 400);
    call("addOperator", "POST", "/admin/operators", null, new JsonObject().put("name", op + "x").put("role", "admin"),
        operator, 403);
    call("setOperatorRole", "PUT", "/admin/operators/" + op, a, new JsonObject().put("role", "operator"), Map.of(), 200);
    call("setOperatorRole", "PUT", "/admin/operators/" + op, a, new JsonObject().put("role", "god"), Map.of(), 400);
    call("setOperatorRole", "PUT", "/admin/operators/nobody-" + op, a, new JsonObject().put("role", "viewer"), Map.of(), 404);
    call("resetOperatorPassword", "POST", "/admin/operators/" + op + "/password", a, null, Map.of(), 200);
    call("resetOperatorPassword", "POST", "/admin/operators/nobody-" + op + "/password", a, null, Map.of(), 404);
    call("removeOperator", "DELETE", "/admin/operators/" + op, a, null, Map.of(), 204);
    call("removeOperator", "DELETE", "/admin/operators/" + op, a, null, Map.of(), 404);
    call("removeOperator", "DELETE", "/admin/operators/UPPER", a, null, Map.of(), 400);

    call("unreadWatch", "GET", "/internal/users/" + uid + "/unread?waitMs=0", s, null, Map.of(), 200);
    call("unreadWatch", "GET", "/internal/users/" + uid + "/unread?known=-1", s, null, Map.of(), 400);
    call("unreadWatch", "GET", "/internal/users/" + uid + "/unread", null, null, operator, 403);
    call("presenceWatch", "GET", "/internal/presence?uids=" + uid, s, null, Map.of(), 200);
    call("presenceWatch", "GET", "/internal/presence", s, null, Map.of(), 400);

    long claimed = MailTesting.sendOne(node, uid, "grant", MailTesting.gold(1));
    MailTesting.opSync(node, uid, "mail.claim", MailTesting.id(claimed));
    String grant = uid + "-" + claimed;
    call("pullGrants", "GET", "/internal/grants?limit=5&leaseSeconds=1", s, null, Map.of(), 200);
    call("pullGrants", "GET", "/internal/grants?limit=0", s, null, Map.of(), 400);
    call("pullGrants", "GET", "/internal/grants", null, null, operator, 403);
    call("ackGrants", "POST", "/internal/grants/ack", s, new JsonObject().put("grantIds", new JsonArray().add("1-1")),
        Map.of(), 204);
    call("ackGrants", "POST", "/internal/grants/ack", s, new JsonObject(), Map.of(), 400);
    Poll.until("the unacknowledged grant is dead-lettered", 20_000, () -> TestHttp.get(node.adminPort(),
        "/admin/grants/dead?limit=1000", a).json().getJsonArray("grants").stream()
        .anyMatch(g -> grant.equals(((JsonObject) g).getString("grantId"))));
    call("listDeadGrants", "GET", "/admin/grants/dead?limit=5", null, null, viewer, 200);
    call("listDeadGrants", "GET", "/admin/grants/dead?limit=0", a, null, Map.of(), 400);
    call("resendGrant", "POST", "/admin/grants/" + grant + "/resend", null, null, viewer, 403);
    call("resendGrant", "POST", "/admin/grants/" + grant + "/resend", null, null, operator, 204);
    call("resendGrant", "POST", "/admin/grants/" + uid + "-1/resend", a, null, Map.of(), 404);
    call("resendGrant", "POST", "/admin/grants/x/resend", a, null, Map.of(), 400);

    // A token signed with the player secret, whatever its role, on every authenticated operation.
    for (String role : List.of("admin", "service")) {
      String bad = TestTokens.playerSigned(role);
      for (Operation o : contract.operations()) {
        if (o.getSecurityRequirements().isEmpty()) {
          continue;
        }
        String path = o.getOpenAPIPath().replace("{uid}", "1").replace("{id}", "1").replace("{name}", "x")
            .replace("{mailId}", "1").replace("{sendId}", "1");
        JsonObject body = List.of("POST", "PUT").contains(o.getHttpMethod().name()) ? new JsonObject() : null;
        call(o.getOperationId(), o.getHttpMethod().name(), path, bad, body, Map.of(), 401);
      }
    }
    call("stats", "GET", "/admin/stats", p, null, Map.of(), 401);

    assertThat(MISMATCHES).isEmpty();
    for (Operation o : contract.operations()) {
      List<Integer> statuses = SEEN.getOrDefault(o.getOperationId(), List.of());
      assertThat(statuses).as("a valid request to %s", o.getOperationId()).anyMatch(st -> st < 300);
      if (!NO_INVALID.contains(o.getOperationId())) {
        assertThat(statuses).as("an invalid request to %s", o.getOperationId()).anyMatch(st -> st >= 400);
      }
    }
  }

  /** Sends one request, checks its status, and validates the answer against the operation in the spec. */
  private static TestHttp.Response call(String operationId, String method, String path, String token, JsonObject body,
                                        Map<String, String> headers, int expected) {
    TestHttp.Response r = TestHttp.send(node.adminPort(), method, path, token, body, headers);
    SEEN.computeIfAbsent(operationId, k -> new ArrayList<>()).add(r.status());
    String what = method + " " + path + " (" + operationId + ")";
    if (r.status() != expected) {
      MISMATCHES.add(what + ": expected " + expected + ", got " + r.status() + " " + r.body());
    }
    Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    r.headers().forEach((k, v) -> h.put(k, String.join(",", v)));
    String type = h.get("content-type");
    ValidatableResponse vr = r.body() == null || r.body().isEmpty() ? ValidatableResponse.create(r.status(), h)
        : ValidatableResponse.create(r.status(), h, Buffer.buffer(r.body()), type);
    try {
      Await.result(validator.validate(vr, operationId));
    } catch (RuntimeException e) {
      MISMATCHES.add(what + " answered " + r.status() + " not as documented: " + e.getMessage());
    }
    return r;
  }

  private static final Map<String, String> PASSWORDS = new HashMap<>();

  private static String addOperator(String prefix, Role role) {
    String name = prefix + "-" + Long.toHexString(TestEnv.randomUid() & 0xffffffL);
    OperatorStore store = new OperatorStore(node.context().vertx(), node.context().db());
    String password = Await.result(store.add(name, role, new AuditContext("test", "setup", "test"))).getString("password");
    PASSWORDS.put(name, password);
    return name;
  }

  /** Signs in; answers the headers a console page sends: its cookie and CSRF token. */
  private static Map<String, String> session(String name, Role role) {
    TestHttp.Response r = TestHttp.post(node.adminPort(), "/console/session", null,
        new JsonObject().put("name", name).put("password", PASSWORDS.get(name)));
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.json().getString("role")).isEqualTo(role.wire());
    String cookie = r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("set-cookie"))
        .flatMap(e -> e.getValue().stream()).map(c -> c.split(";")[0]).collect(Collectors.joining("; "));
    return Map.of("Cookie", cookie, "X-CSRF-Token", r.json().getString("csrfToken"));
  }
}
