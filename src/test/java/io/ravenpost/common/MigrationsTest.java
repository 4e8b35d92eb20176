package io.ravenpost.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ravenpost.common.config.MysqlConfig;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Several nodes migrating one empty database at once apply each version exactly once. */
class MigrationsTest {
  @Test
  void concurrentStartUpsMigrateOnce() {
    Vertx vertx = Vertx.vertx();
    String scratch = "ravenpost_scratch_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    String base = TestEnv.mysqlUri();
    String uri = base.substring(0, base.lastIndexOf('/') + 1) + scratch;
    Db admin = Db.connect(vertx, new MysqlConfig(List.of(base), 2), new SimpleMeterRegistry());
    try {
      Await.result(admin.primary().query("CREATE DATABASE " + scratch).execute());
      List<Db> nodes = new ArrayList<>();
      List<Future<Void>> runs = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Db db = Db.connect(vertx, new MysqlConfig(List.of(uri), 2), new SimpleMeterRegistry());
        nodes.add(db);
        runs.add(db.migrate());
      }
      Await.result(Future.all(runs), 60_000);
      Await.result(nodes.get(0).migrate());
      List<Integer> versions = new ArrayList<>();
      for (Row r : Await.result(nodes.get(0).primary().query("SELECT version FROM schema_version ORDER BY version").execute())) {
        versions.add(r.getInteger(0));
      }
      assertThat(versions).isNotEmpty().doesNotHaveDuplicates().startsWith(1);
      assertThat(Await.result(nodes.get(0).primary().query("SELECT COUNT(*) FROM users").execute())
          .iterator().next().getLong(0)).isZero();
      nodes.forEach(Db::close);
    } finally {
      Await.result(admin.primary().query("DROP DATABASE IF EXISTS " + scratch).execute());
      admin.close();
      vertx.close();
    }
  }
}
