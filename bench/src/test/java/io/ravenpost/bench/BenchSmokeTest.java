package io.ravenpost.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark command's plumbing, in smoke mode (tiny sizes, a few seconds): the login scenario
 * against two in-process nodes, and its bare login server in a JVM of its own, writes a result
 * file with sane figures. The full benchmark is never run by the test suite.
 */
class BenchSmokeTest {
  @Test
  void loginSmokeWritesSaneResults(@TempDir Path out) throws Exception {
    try (TestCluster cluster = TestCluster.start(2)) {
      List<Endpoint> targets = cluster.nodes().stream().map(n -> new Endpoint(n.wsPort(), n.adminPort())).toList();
      BenchOptions options = BenchOptions.forTargets(List.of("login"), targets, true, out, TestEnv.mysqlUri(),
          TestEnv.redisUri(), TestEnv.SECRET, TestEnv.ADMIN_SECRET);

      List<Path> written = Bench.run(options);

      assertThat(written).containsExactly(out.resolve("login.json"));
      JsonObject r = new JsonObject(Files.readString(out.resolve("login.json")));
      assertThat(r.getString("status")).isEqualTo("ok");
      assertThat(r.getJsonObject("machine").getInteger("cores")).isPositive();
      assertThat(r.getJsonObject("versions").getString("vertx")).isEqualTo("5.0.10");
      assertThat(r.getJsonObject("versions").getString("java")).isNotBlank();
      var phases = r.getJsonObject("figures").getJsonArray("phases");
      assertThat(phases).hasSize(2);
      for (int i = 0; i < phases.size(); i++) {
        JsonObject p = phases.getJsonObject(i);
        assertThat(p.getInteger("nodes")).isEqualTo(i + 1);
        assertThat(p.getLong("logins")).as("logins with %d nodes", i + 1).isPositive();
        assertThat(p.getDouble("loginsPerSecond")).isPositive();
        assertThat(p.getJsonObject("latency").getDouble("p50Ms")).isPositive();
        assertThat(p.getJsonObject("latency").getDouble("p99Ms"))
            .isGreaterThanOrEqualTo(p.getJsonObject("latency").getDouble("p50Ms"));
      }
      var goals = r.getJsonArray("goals").stream().map(g -> ((JsonObject) g).getString("name")).toList();
      assertThat(goals).contains("login share of bare login", "node CPU per login / bare");
      JsonObject bare = r.getJsonObject("baseline").getJsonObject("bareLogin");
      assertThat(bare.getLong("logins")).as("logins on the bare login server").isPositive();
      assertThat(bare.getJsonObject("errors")).isEmpty();
      assertThat(r.getJsonObject("figures").getDouble("shareOfBareLogin")).isPositive();
      assertThat(r.getJsonObject("figures").getJsonObject("sizes").getLong("users")).isPositive();
      assertThat(r.getJsonObject("baseline").getJsonObject("redisHsetnx").containsKey("available")).isTrue();
    }
  }
}
