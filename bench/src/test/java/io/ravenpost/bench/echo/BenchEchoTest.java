package io.ravenpost.bench.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * The echo reaches a node only as a plugin of the benchmark's jar (META-INF/services), and only
 * where config {@code bench.echo} is true: the product registers nothing of the benchmark.
 */
class BenchEchoTest {
  @Test
  void echoIsMountedOnlyWhereConfigAsksForIt() {
    try (TestCluster cluster = TestCluster.start(1, new JsonObject().put("bench", new JsonObject().put("echo", true)))) {
      RavenNode on = cluster.node(0);
      RavenNode off = cluster.addNode(new JsonObject().put("bench", new JsonObject().put("echo", false)));
      String path = "/internal/bench/echo?to=" + on.nodeId() + "&n=3&bytes=10";

      TestHttp.Response echoed = TestHttp.get(on.adminPort(), path, TestTokens.service());
      assertThat(echoed.status()).as(echoed.body()).isEqualTo(200);
      assertThat(echoed.json().getJsonArray("rttMicros")).hasSize(3);

      assertThat(TestHttp.get(off.adminPort(), path, TestTokens.service()).status()).isEqualTo(404);
    }
  }
}
