package io.ravenpost.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdminHttpTest {
  static TestCluster cluster;
  static int port;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1);
    port = cluster.node(0).adminPort();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void healthAndMetricsNeedNoToken() {
    TestHttp.Response h = TestHttp.get(port, "/health", null);
    assertThat(h.status()).isEqualTo(200);
    assertThat(h.json().getString("mysql")).isEqualTo("ok");
    assertThat(h.json().getString("redis")).isEqualTo("ok");
    assertThat(h.json().getString("cluster")).isEqualTo("ok");
    TestHttp.Response m = TestHttp.get(port, "/metrics", null);
    assertThat(m.status()).isEqualTo(200);
    assertThat(m.body()).contains("raven_gate_sessions");
  }

  @Test
  void tokensAndRolesAreChecked() {
    String path = "/admin/online/123";
    assertThat(TestHttp.get(port, path, null).status()).isEqualTo(401);
    assertThat(TestHttp.get(port, path, "garbage").status()).isEqualTo(401);
    assertThat(TestHttp.get(port, path, TestTokens.player(5)).status())
        .as("signed with the player secret: not an operator token at all").isEqualTo(401);
    assertThat(TestHttp.get(port, path, TestTokens.playerSigned("admin")).status()).isEqualTo(401);
    assertThat(TestHttp.get(port, path, TestTokens.service()).status()).isEqualTo(403);
    assertThat(TestHttp.get(port, path, TestTokens.service()).errorCode()).isEqualTo("FORBIDDEN");
    assertThat(TestHttp.get(port, path, TestTokens.admin()).status()).isEqualTo(200);
    assertThat(TestHttp.get(port, "/internal/nothing-here", TestTokens.player(5)).status()).isEqualTo(401);
    assertThat(TestHttp.get(port, "/internal/nothing-here", TestTokens.service()).status()).isEqualTo(404);
  }

  @Test
  void onlineLookupShowsNodeAndSession() {
    long uid = TestEnv.randomUid();
    assertThat(TestHttp.get(port, "/admin/online/" + uid, TestTokens.admin()).json().getBoolean("online")).isFalse();
    TestClient c = TestClient.ws(cluster.node(0).wsPort());
    String session = c.loginSync(TestTokens.player(uid)).getString("sessionId");
    JsonObject o = TestHttp.get(port, "/admin/online/" + uid, TestTokens.admin()).json();
    assertThat(o.getBoolean("online")).isTrue();
    assertThat(o.getString("node")).isEqualTo(cluster.node(0).nodeId());
    assertThat(o.getString("sessionId")).isEqualTo(session);
    assertThat(o.getLong("since")).isPositive();
    JsonArray nodes = TestHttp.get(port, "/admin/stats", TestTokens.admin()).json().getJsonArray("nodes");
    assertThat(nodes).isNotEmpty();
  }

  @Test
  void badPathParametersAreBadRequest() {
    TestHttp.Response r = TestHttp.get(port, "/admin/online/abc", TestTokens.admin());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.errorCode()).isEqualTo("BAD_REQUEST");
    assertThat(TestHttp.post(port, "/admin/users/99999999999999999999/kick", TestTokens.admin(), null).status())
        .isEqualTo(400);
  }

  @Test
  void healthIs503WhenRedisIsDown() {
    try (TestCluster broken = TestCluster.start(1, new JsonObject()
        .put("node", new JsonObject().put("roles", new JsonArray().add("admin")))
        .put("redis", new JsonObject().put("uri", "redis://127.0.0.1:1")))) {
      TestHttp.Response h = TestHttp.get(broken.node(0).adminPort(), "/health", null);
      assertThat(h.status()).isEqualTo(503);
      assertThat(h.json().getString("redis")).as("a code, not the driver's error text").isEqualTo("UNAVAILABLE");
      assertThat(h.json().getString("requestId")).isNotBlank();
      assertThat(h.json().getString("mysql")).isEqualTo("ok");
    }
  }
}
