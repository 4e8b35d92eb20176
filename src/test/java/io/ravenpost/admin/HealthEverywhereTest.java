package io.ravenpost.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A node without the admin role (README's gate,online node) still serves liveness, readiness,
 * metrics and the OpenAPI file on its admin port, and nothing of the admin API.
 */
class HealthEverywhereTest {
  static TestCluster cluster;
  static int port;
  static String nodeId;
  static String configuredId = "gate-" + Long.toHexString(System.nanoTime() & 0xffffff);

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1, new JsonObject().put("node", new JsonObject()
        .put("id", configuredId)
        .put("roles", new JsonArray().add("gate").add("online"))));
    port = cluster.node(0).adminPort();
    nodeId = cluster.node(0).nodeId();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void livenessAndReadinessOfEveryRole() {
    TestHttp.Response live = TestHttp.get(port, "/health/live", null);
    assertThat(live.status()).isEqualTo(200);
    assertThat(live.json().getString("node")).isEqualTo(nodeId);
    TestHttp.Response ready = TestHttp.get(port, "/health/ready", null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getJsonObject("roles").getMap()).containsExactlyInAnyOrderEntriesOf(
        java.util.Map.of("gate", "ok", "online", "ok"));
    assertThat(TestHttp.get(port, "/health", null).status()).isEqualTo(200);
  }

  @Test
  void metricsCarryTheJvmTheProcessTheBuildAndTheNodeTag() {
    String m = TestHttp.get(port, "/metrics", null).body();
    assertThat(m).contains("jvm_gc_memory_allocated_bytes", "jvm_gc_max_data_size_bytes", "jvm_threads_live_threads", "jvm_memory_used_bytes",
        "process_cpu_usage", "system_cpu_count", "process_files_open_files", "process_uptime_seconds",
        "raven_gate_sessions");
    assertThat(m).as("the configured id, which outlives an incarnation").containsPattern("raven_build\\{[^}]*node=\""
        + configuredId + "\"[^}]*version=\"[^\"]+\"[^}]*} 1(\\.0)?");
  }

  @Test
  void theOpenApiFileIsServedAndTheAdminApiIsNot() {
    TestHttp.Response spec = TestHttp.get(port, "/openapi.yaml", null);
    assertThat(spec.status()).isEqualTo(200);
    assertThat(spec.body()).startsWith("openapi: 3.0.3").contains("/admin/audit");
    assertThat(TestHttp.get(port, "/admin/stats", TestTokens.admin()).status()).isEqualTo(404);
    assertThat(TestHttp.get(port, "/console/", null).status()).isEqualTo(404);
  }
}
