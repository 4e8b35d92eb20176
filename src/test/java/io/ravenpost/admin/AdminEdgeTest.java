package io.ravenpost.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.admin.operators.OperatorStore;
import io.ravenpost.admin.operators.Role;
import io.ravenpost.api.AuditContext;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.PrivateRedis;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The admin edge behind a TLS proxy and without Redis: the session cookie is {@code Secure} when the
 * console's public address is https, or when a trusted proxy says the browser came over TLS (and
 * only then); {@code /admin/stats} still answers with what it knows while Redis is down.
 */
class AdminEdgeTest {
  @Test
  void theCookieIsSecureBehindTlsAndOnlyWhenATrustedProxySaysSo() {
    try (TestCluster https = TestCluster.start(1, admin(new JsonObject().put("publicUrl", "https://gm.example"))); 
         TestCluster proxied = TestCluster.start(1, admin(new JsonObject().put("trustedProxies",
             new JsonArray().add("127.0.0.1"))));
         TestCluster plain = TestCluster.start(1)) {
      assertThat(cookie(https.node(0), Map.of())).contains("Secure");
      assertThat(cookie(proxied.node(0), Map.of("X-Forwarded-Proto", "https"))).contains("Secure");
      assertThat(cookie(proxied.node(0), Map.of())).doesNotContain("Secure");
      assertThat(cookie(plain.node(0), Map.of("X-Forwarded-Proto", "https")))
          .as("an untrusted caller's X-Forwarded-Proto is ignored").doesNotContain("Secure");
    }
  }

  @Test
  void statsAnswerWhileRedisIsDown() {
    try (PrivateRedis redis = new PrivateRedis();
         TestCluster cluster = TestCluster.start(1, new JsonObject()
             .put("redis", new JsonObject().put("uri", redis.uri()))
             .put("online", new JsonObject().put("leaseMs", 30_000).put("renewMs", 1000)))) {
      RavenNode n = cluster.node(0);
      assertThat(TestHttp.get(n.adminPort(), "/admin/stats", TestTokens.admin()).json().getJsonArray("nodes"))
          .isNotEmpty();
      redis.kill();
      TestHttp.Response r = TestHttp.get(n.adminPort(), "/admin/stats", TestTokens.admin());
      assertThat(r.status()).isEqualTo(200);
      JsonObject s = r.json();
      assertThat(s.getInteger("clusterMembers")).isEqualTo(1);
      assertThat(s.getJsonArray("members")).hasSize(1);
      assertThat(s.getValue("nodes")).as("what only Redis knows is absent, not an error").isNull();
      assertThat(s.getString("redis")).startsWith("unavailable");
    }
  }

  private static JsonObject admin(JsonObject admin) {
    return new JsonObject().put("admin", admin);
  }

  private static String cookie(RavenNode n, Map<String, String> headers) {
    OperatorStore store = new OperatorStore(n.context().vertx(), n.context().db());
    String name = "tls-" + Long.toHexString(TestEnv.randomUid() & 0xffffffL);
    String password = Await.result(store.add(name, Role.VIEWER, new AuditContext("test", "setup", "test")))
        .getString("password");
    TestHttp.Response r = TestHttp.send(n.adminPort(), "POST", "/console/session", null,
        new JsonObject().put("name", name).put("password", password), headers);
    assertThat(r.status()).isEqualTo(200);
    return r.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("set-cookie"))
        .flatMap(e -> e.getValue().stream()).findFirst().orElseThrow();
  }
}
