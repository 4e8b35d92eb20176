package io.ravenpost.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.admin.operators.OperatorStore;
import io.ravenpost.admin.operators.Role;
import io.ravenpost.api.AuditContext;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Access is decided on the path the router matches. Every authenticated route of docs/openapi.yaml,
 * for every kind of caller, is sent over a raw socket in its plain form and in forms that a router
 * normalises to it (an encoded letter, {@code /./}, {@code /x/../}, {@code //}, and a hop between
 * {@code /internal} and {@code /admin}): the plain form is allowed exactly to the roles PROTOCOL.md
 * names, and every other form is refused 400 before routing, whoever asks.
 */
class PathAccessTest {
  static TestCluster cluster;
  static RavenNode node;
  static final Map<String, Map<String, String>> CALLERS = new LinkedHashMap<>();

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1);
    node = cluster.node(0);
    OperatorStore store = new OperatorStore(node.context().vertx(), node.context().db());
    CALLERS.put("none", Map.of());
    CALLERS.put("player", bearer(TestTokens.playerSigned("admin")));
    CALLERS.put("service", bearer(TestTokens.service()));
    CALLERS.put("admin", bearer(TestTokens.admin()));
    for (Role r : Role.values()) {
      CALLERS.put("console-" + r.wire(), session(store, r));
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void everyRouteIsDecidedOnThePathTheRouterMatches() throws Exception {
    OpenAPIContract contract = Await.result(OpenAPIContract.from(TestClient.vertx(), "docs/openapi.yaml"));
    List<String> wrong = new ArrayList<>();
    List<Future<String>> checks = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    int routes = 0;
    for (Operation op : contract.operations()) {
      String path = op.getOpenAPIPath();
      if (!path.startsWith("/admin/") && !path.startsWith("/internal/")) {
        continue;
      }
      routes++;
      String method = op.getHttpMethod().name();
      String plain = fill(path);
      for (var caller : CALLERS.entrySet()) {
        checks.add(pool.submit(() -> checkPlain(method, plain, caller.getKey(), caller.getValue())));
        for (String form : forms(plain)) {
          checks.add(pool.submit(() -> checkForm(method, form, caller.getKey(), caller.getValue())));
        }
      }
    }
    for (Future<String> f : checks) {
      String problem = f.get();
      if (problem != null) {
        wrong.add(problem);
      }
    }
    pool.shutdown();
    assertThat(routes).as("authenticated routes in docs/openapi.yaml").isGreaterThan(15);
    assertThat(wrong).as("requests decided otherwise than their route allows").isEmpty();
  }

  private static String checkPlain(String method, String target, String caller, Map<String, String> headers) {
    RawHttp.Answer a = RawHttp.send(node.adminPort(), method, target, headers, body(method));
    boolean refused = a.status() == 401 || a.status() == 403;
    boolean allowed = allowed(caller, method, target);
    if (allowed == !refused) {
      return null;
    }
    return caller + " " + method + " " + target + " -> " + a.status() + " " + a.code() + " (expected "
        + (allowed ? "allowed" : "401/403") + ")";
  }

  private static String checkForm(String method, String target, String caller, Map<String, String> headers) {
    RawHttp.Answer a = RawHttp.send(node.adminPort(), method, target, headers, body(method));
    if (a.status() == 400 && "BAD_REQUEST".equals(a.code()) && a.message().contains("normal form")) {
      return null;
    }
    return caller + " " + method + " " + target + " -> " + a.status() + " " + a.code() + " " + a.message()
        + " (expected 400: not the path the router matches)";
  }

  /** PROTOCOL.md's rule, written out on its own: admin everything; service /internal; console roles by need. */
  private static boolean allowed(String caller, String method, String path) {
    boolean internal = path.startsWith("/internal/");
    boolean operators = path.startsWith("/admin/operators");
    boolean write = !method.equals("GET");
    boolean preview = path.equals("/admin/global-mail/preview");
    return switch (caller) {
      case "admin", "console-admin" -> true;
      case "service" -> internal;
      case "console-operator" -> !internal && !operators;
      case "console-viewer" -> !internal && !operators && (!write || preview);
      default -> false;
    };
  }

  /** Forms that normalise to {@code plain}: each must be refused, never decided as another route. */
  static List<String> forms(String plain) {
    int second = plain.indexOf('/', 1);
    String head = plain.substring(0, second);
    String rest = plain.substring(second + 1);
    String other = head.equals("/admin") ? "/internal" : "/admin";
    List<String> out = new ArrayList<>();
    out.add(head + "/%" + Integer.toHexString(rest.charAt(0)) + rest.substring(1));
    out.add(head + "/%" + Integer.toHexString(rest.charAt(0)).toUpperCase() + rest.substring(1));
    out.add(head + "/./" + rest);
    out.add(head + "/x/../" + rest);
    out.add(head + "//" + rest);
    out.add(other + "/../" + plain.substring(1));
    out.add(other + "/%2e%2e/" + plain.substring(1));
    out.add(other + "/%2E%2E/" + plain.substring(1));
    return out;
  }

  private static String fill(String path) {
    return path.replace("{uid}", Long.toString(TestEnv.randomUid())).replace("{mailId}", "999999999999")
        .replace("{id}", "999999999999").replace("{name}", "nobody-here").replace("{sendId}", "999999999999");
  }

  /** Empty objects: an allowed write stops at validation and changes nothing. */
  private static String body(String method) {
    return method.equals("GET") || method.equals("DELETE") ? null : "{}";
  }

  private static Map<String, String> bearer(String token) {
    return Map.of("Authorization", "Bearer " + token);
  }

  private static Map<String, String> session(OperatorStore store, Role role) {
    String name = role.wire() + "-" + Long.toHexString(TestEnv.randomUid() & 0xffffffL);
    String password = Await.result(store.add(name, role, new AuditContext("test", "setup", "test")))
        .getString("password");
    TestHttp.Response in = TestHttp.post(node.adminPort(), "/console/session", null,
        new JsonObject().put("name", name).put("password", password));
    assertThat(in.status()).isEqualTo(200);
    String cookie = in.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("set-cookie"))
        .flatMap(e -> e.getValue().stream()).map(c -> c.split(";")[0]).findFirst().orElseThrow();
    return Map.of("Cookie", cookie, "X-CSRF-Token", in.json().getString("csrfToken"));
  }
}
