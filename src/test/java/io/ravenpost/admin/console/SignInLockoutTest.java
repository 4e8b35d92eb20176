package io.ravenpost.admin.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.admin.operators.OperatorStore;
import io.ravenpost.admin.operators.Role;
import io.ravenpost.api.AuditContext;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The sign-in lockout locks: attempts sent all at once are counted before their passwords are
 * checked, so no more than {@code admin.signInFailures} are checked; once locked, every spelling of
 * the name that the database would find is refused too; and failures and lockouts are in the audit
 * trail with their source, a flood of them coalesced into a few rows.
 */
class SignInLockoutTest {
  static final int LIMIT = 3;
  static TestCluster cluster;
  static RavenNode node;
  static OperatorStore store;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, new JsonObject().put("admin", new JsonObject().put("signInFailures", LIMIT)));
    node = cluster.node(0);
    store = new OperatorStore(node.context().vertx(), node.context().db());
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void fortyParallelWrongPasswordsCheckAtMostTheLimitAndEverySpellingIsLockedOut() throws Exception {
    String name = "locked-" + Long.toHexString(TestEnv.randomUid() & 0xffffffL);
    String password = Await.result(store.add(name, Role.ADMIN, new AuditContext("test", "setup", "test")))
        .getString("password");
    ExecutorService pool = Executors.newFixedThreadPool(40);
    List<CompletableFuture<TestHttp.Response>> tries = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String wrong = "wrong-" + i;
      tries.add(CompletableFuture.supplyAsync(() -> signIn(name, wrong), pool));
    }
    int checked = 0;
    int locked = 0;
    for (CompletableFuture<TestHttp.Response> t : tries) {
      int status = t.get().status();
      if (status == 401) {
        checked++;
      } else if (status == 429) {
        locked++;
      }
    }
    pool.shutdown();
    assertThat(checked).as("attempts whose password was checked").isLessThanOrEqualTo(LIMIT);
    assertThat(checked + locked).isEqualTo(40);
    for (String spelling : List.of(name, name.toUpperCase(), name + " ", name + "   ",
        Character.toUpperCase(name.charAt(0)) + name.substring(1))) {
      TestHttp.Response r = signIn(spelling, password);
      assertThat(r.status()).as("the right password as '%s' once the name is locked", spelling).isEqualTo(429);
      assertThat(r.errorCode()).isEqualTo("RATE_LIMITED");
    }

    int tried = checked;
    int refused = locked + 5;
    // Refusals are recorded after they are answered.
    JsonArray entries = Poll.until("every attempt is in the audit trail", 10_000, () -> {
      JsonArray e = audit(name);
      return repeats(e, AuditContext.SIGN_IN_FAILED) == tried && repeats(e, AuditContext.SIGN_IN_LOCKED) == refused
          ? e : null;
    });
    assertThat(entries.size()).as("a flood from one source is a few rows, not one per attempt").isLessThanOrEqualTo(4);
    JsonObject first = entries.getJsonObject(0);
    assertThat(first.getString("source")).isEqualTo("127.0.0.1");
    assertThat(first.getString("requestId")).isNotEmpty();
  }

  @Test
  void aSignInUsesTheStoredSpellingOfTheName() {
    String name = "spelled-" + Long.toHexString(TestEnv.randomUid() & 0xffffffL);
    String password = Await.result(store.add(name, Role.VIEWER, new AuditContext("test", "setup", "test")))
        .getString("password");
    TestHttp.Response in = signIn(name.toUpperCase() + " ", password);
    assertThat(in.status()).isEqualTo(200);
    assertThat(in.json().getString("name")).isEqualTo(name);
    Poll.until("the sign-in is in the audit trail under the stored name", 10_000, () -> audit(name).stream()
        .anyMatch(e -> ((JsonObject) e).getString("action").equals(AuditContext.SIGN_IN)));
  }

  @Test
  void refusedWritesOfStrangersAreAuditedAndCoalesced() {
    String path = "/admin/users/" + TestEnv.randomUid() + "/kick";
    for (int i = 0; i < 30; i++) {
      assertThat(TestHttp.send(node.adminPort(), "POST", path, null, null, Map.of()).status()).isEqualTo(401);
    }
    JsonArray mine = Poll.until("the 30 refusals are in the audit trail", 10_000, () -> {
      JsonArray found = new JsonArray();
      audit("anonymous").forEach(e -> {
        if (((JsonObject) e).getString("target").equals(path)) {
          found.add(e);
        }
      });
      return found.stream().mapToLong(e -> ((JsonObject) e).getLong("repeats")).sum() == 30 ? found : null;
    });
    assertThat(mine.size()).isLessThanOrEqualTo(2);
    assertThat(mine.getJsonObject(0).getString("result")).isEqualTo("AUTH_INVALID");
    assertThat(mine.getJsonObject(0).getString("source")).isEqualTo("127.0.0.1");
  }

  private static long repeats(JsonArray entries, String action) {
    return entries.stream().map(e -> (JsonObject) e).filter(e -> e.getString("action").equals(action))
        .mapToLong(e -> e.getLong("repeats")).sum();
  }

  private static JsonArray audit(String actor) {
    TestHttp.Response r = TestHttp.get(node.adminPort(), "/admin/audit?limit=200&actor=" + actor, TestTokens.admin());
    assertThat(r.status()).isEqualTo(200);
    return r.json().getJsonArray("entries");
  }

  private static TestHttp.Response signIn(String name, String password) {
    return TestHttp.post(node.adminPort(), "/console/session", null,
        new JsonObject().put("name", name).put("password", password));
  }
}
