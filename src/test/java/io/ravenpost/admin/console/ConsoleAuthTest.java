package io.ravenpost.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.admin.operators.OperatorStore;
import io.ravenpost.admin.operators.Role;
import io.ravenpost.api.AuditContext;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Console sessions and roles, enforced by the server: the cookie is HttpOnly and SameSite=Strict,
 * writes need the CSRF token, viewers only read, operators do not manage operators, only admins
 * reach /internal, a role change applies at the next request, a removed operator is signed out,
 * and repeated wrong passwords lock the name for a while.
 */
class ConsoleAuthTest {
  static TestCluster cluster;
  static RavenNode node;
  static OperatorStore store;
  static final Map<String, String> PASSWORDS = new HashMap<>();

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, new JsonObject().put("admin", new JsonObject().put("signInFailures", 3)));
    node = cluster.node(0);
    store = new OperatorStore(node.context().vertx(), node.context().db());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void theCookieIsHttpOnlyStrictAndWritesNeedTheCsrfToken() {
    String name = add("csrf", Role.OPERATOR);
    TestHttp.Response in = signIn(name, PASSWORDS.get(name));
    String setCookie = in.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("set-cookie"))
        .flatMap(e -> e.getValue().stream()).findFirst().orElseThrow();
    assertThat(setCookie).startsWith(ConsoleRoutes.COOKIE + "=").containsIgnoringCase("HttpOnly").contains("SameSite=Strict")
        .contains("Path=/");
    Map<String, String> s = session(in);
    String kick = "/admin/users/" + TestEnv.randomUid() + "/kick";
    assertThat(call("POST", kick, Map.of("Cookie", s.get("Cookie"))).status()).isEqualTo(403);
    assertThat(call("POST", kick, Map.of("Cookie", s.get("Cookie"), "X-CSRF-Token", "forged")).status()).isEqualTo(403);
    assertThat(call("POST", kick, s).status()).isEqualTo(204);
    assertThat(call("GET", "/admin/stats", Map.of("Cookie", s.get("Cookie"))).status())
        .as("reads need no CSRF token").isEqualTo(200);
  }

  @Test
  void rolesAreEnforcedByTheServer() {
    Map<String, String> viewer = session(signIn(add("v", Role.VIEWER)));
    Map<String, String> operator = session(signIn(add("o", Role.OPERATOR)));
    Map<String, String> admin = session(signIn(add("a", Role.ADMIN)));
    String kick = "/admin/users/" + TestEnv.randomUid() + "/kick";
    assertThat(call("GET", "/admin/stats", viewer).status()).isEqualTo(200);
    assertThat(call("GET", "/admin/audit", viewer).status()).isEqualTo(200);
    assertThat(call("POST", kick, viewer).status()).isEqualTo(403);
    assertThat(call("DELETE", "/admin/global-mail/1", viewer).status()).isEqualTo(403);
    assertThat(call("POST", kick, operator).status()).isEqualTo(204);
    assertThat(call("GET", "/admin/operators", operator).status()).isEqualTo(403);
    assertThat(call("GET", "/internal/presence?uids=1", operator).status()).isEqualTo(403);
    assertThat(call("GET", "/admin/operators", admin).status()).isEqualTo(200);
    assertThat(call("GET", "/internal/presence?uids=1", admin).status()).isEqualTo(200);
  }

  @Test
  void aRoleChangeAppliesAtTheNextRequestAndRemovalSignsOut() {
    String name = add("demoted", Role.OPERATOR);
    Map<String, String> s = session(signIn(name));
    String kick = "/admin/users/" + TestEnv.randomUid() + "/kick";
    assertThat(call("POST", kick, s).status()).isEqualTo(204);
    assertThat(TestHttp.send(node.adminPort(), "PUT", "/admin/operators/" + name, TestTokens.admin(),
        new JsonObject().put("role", "viewer"), Map.of()).status()).isEqualTo(200);
    assertThat(call("POST", kick, s).status()).isEqualTo(403);
    assertThat(call("GET", "/console/session", s).json().getString("role")).isEqualTo("viewer");
    assertThat(TestHttp.send(node.adminPort(), "DELETE", "/admin/operators/" + name, TestTokens.admin(), null,
        Map.of()).status()).isEqualTo(204);
    assertThat(call("GET", "/admin/stats", s).status()).isEqualTo(401);
    assertThat(call("GET", "/console/session", s).status()).isEqualTo(401);
  }

  @Test
  void signingOutEndsTheSession() {
    Map<String, String> s = session(signIn(add("out", Role.VIEWER)));
    assertThat(call("DELETE", "/console/session", s).status()).isEqualTo(204);
    assertThat(call("GET", "/admin/stats", s).status()).isEqualTo(401);
  }

  @Test
  void wrongPasswordsLockTheNameForAWhile() {
    String name = add("guessed", Role.ADMIN);
    for (int i = 0; i < 3; i++) {
      assertThat(signIn(name, "wrong-" + i).status()).isEqualTo(401);
    }
    TestHttp.Response locked = signIn(name, PASSWORDS.get(name));
    assertThat(locked.status()).isEqualTo(429);
    assertThat(locked.errorCode()).isEqualTo("RATE_LIMITED");
    assertThat(signIn("nobody-" + name, "whatever").status()).as("an unknown name is a plain 401").isEqualTo(401);
  }

  private static String add(String prefix, Role role) {
    String name = prefix + "-" + Long.toHexString(TestEnv.randomUid() & 0xffffffL);
    PASSWORDS.put(name, Await.result(store.add(name, role, new AuditContext("test", "setup", "test")))
        .getString("password"));
    return name;
  }

  private static TestHttp.Response signIn(String name) {
    return signIn(name, PASSWORDS.get(name));
  }

  private static TestHttp.Response signIn(String name, String password) {
    return TestHttp.post(node.adminPort(), "/console/session", null,
        new JsonObject().put("name", name).put("password", password));
  }

  private static Map<String, String> session(TestHttp.Response signedIn) {
    assertThat(signedIn.status()).isEqualTo(200);
    List<String> cookies = signedIn.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("set-cookie"))
        .flatMap(e -> e.getValue().stream()).map(c -> c.split(";")[0]).toList();
    return Map.of("Cookie", String.join("; ", cookies), "X-CSRF-Token", signedIn.json().getString("csrfToken"));
  }

  private static TestHttp.Response call(String method, String path, Map<String, String> headers) {
    return TestHttp.send(node.adminPort(), method, path, null, null, headers);
  }
}
