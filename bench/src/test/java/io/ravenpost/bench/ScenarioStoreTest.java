package io.ravenpost.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.testkit.TestEnv;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scenario's state is its own and is gone when it ends: a database created on the --mysql
 * server (named after its database) and the run's Redis keys, both removed on close.
 */
class ScenarioStoreTest {
  @Test
  void aScenarioGetsAFreshDatabaseThatIsDroppedWithItsRedisKeys(@TempDir Path out) {
    TestEnv.ensure();
    // The benchmark's own database name, whose per-scenario databases scripts/ensure-services.sh grants.
    String benchUri = TestEnv.mysqlUri().replaceFirst("/[^/?]+(\\?|$)", "/ravenpost_bench$1");
    BenchOptions started = new BenchOptions(List.of("login"), 0, 0, 0, List.of(), true, out, benchUri,
        TestEnv.redisUri(), TestEnv.SECRET, BenchOptions.DEFAULT_NODE_OPTS, 1, 1, TestEnv.ADMIN_SECRET, false);
    try (BenchRun run = new BenchRun(started)) {
      String key = run.redisPrefix() + "login:probe";
      String name;
      JsonObject sizes;
      try (ScenarioStore store = run.openStore("login")) {
        name = ScenarioStore.databaseOf(store.mysqlUri());
        assertThat(name).isEqualTo("ravenpost_bench_" + run.runId() + "_login");
        assertThat(store.owned()).isTrue();
        assertThat(schemaExists(run, name)).isTrue();
        assertThat(tables(run, name)).as("created empty").isZero();
        Sync.await(store.sql().query("CREATE TABLE users (uid BIGINT PRIMARY KEY)").execute(), 10_000);
        Sync.await(store.sql().query("INSERT INTO users VALUES (1), (2), (3)").execute(), 10_000);
        Sync.await(run.redis().set(List.of(key, "x")), 10_000);
        sizes = store.sizes();
      }
      assertThat(sizes.getLong("users")).isEqualTo(3);
      assertThat(sizes.getValue("mailboxRows")).as("no mailbox table").isNull();
      assertThat(sizes.getLong("redisKeys")).isEqualTo(1);
      assertThat(schemaExists(run, name)).as("dropped").isFalse();
      assertThat(Sync.await(run.redis().exists(List.of(key)), 10_000).toInteger()).as("Redis key deleted").isZero();
    }
  }

  @Test
  void againstRunningNodesTheirDatabaseIsUsedAsItIsAndKept(@TempDir Path out) {
    TestEnv.ensure();
    BenchOptions targets = BenchOptions.forTargets(List.of("login"), List.of(new Endpoint(7100, 7180)), true, out,
        TestEnv.mysqlUri(), TestEnv.redisUri(), TestEnv.SECRET, TestEnv.ADMIN_SECRET);
    try (BenchRun run = new BenchRun(targets)) {
      String name = ScenarioStore.databaseOf(TestEnv.mysqlUri());
      try (ScenarioStore store = run.openStore("login")) {
        assertThat(store.owned()).isFalse();
        assertThat(store.mysqlUri()).isEqualTo(TestEnv.mysqlUri());
      }
      assertThat(schemaExists(run, name)).isTrue();
    }
  }

  private static boolean schemaExists(BenchRun run, String name) {
    return Sync.await(run.serverSql().preparedQuery("SELECT COUNT(*) FROM information_schema.schemata WHERE schema_name = ?")
        .execute(Tuple.of(name)), 10_000).iterator().next().getLong(0) == 1;
  }

  private static long tables(BenchRun run, String name) {
    return Sync.await(run.serverSql().preparedQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ?")
        .execute(Tuple.of(name)), 10_000).iterator().next().getLong(0);
  }
}
