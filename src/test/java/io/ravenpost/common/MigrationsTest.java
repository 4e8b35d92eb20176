package io.ravenpost.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ravenpost.common.config.MysqlConfig;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Several nodes migrating one empty database at once apply each version exactly once. */
@ExtendWith(VertxExtension.class)
class MigrationsTest {
  @Test
  void concurrentStartUpsMigrateOnce(Vertx vertx, VertxTestContext test) {
    String scratch = "ravenpost_scratch_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    String base = TestEnv.mysqlUri();
    String uri = base.substring(0, base.lastIndexOf('/') + 1) + scratch;
    Db admin = Db.connect(vertx, new MysqlConfig(List.of(base), 2), new SimpleMeterRegistry());
    List<Db> nodes = new ArrayList<>();
    admin.primary().query("CREATE DATABASE " + scratch).execute()
        .compose(v -> {
          List<Future<Void>> runs = new ArrayList<>();
          for (int i = 0; i < 4; i++) {
            Db db = Db.connect(vertx, new MysqlConfig(List.of(uri), 2), new SimpleMeterRegistry());
            nodes.add(db);
            runs.add(db.migrate());
          }
          return Future.all(runs);
        })
        .compose(v -> nodes.get(0).migrate())
        .compose(v -> nodes.get(0).primary().query("SELECT version FROM schema_version ORDER BY version").execute())
        .compose(versions -> nodes.get(0).primary().query("SELECT COUNT(*) FROM users").execute()
            .map(users -> {
              List<Integer> v = new ArrayList<>();
              versions.forEach(r -> v.add(r.getInteger(0)));
              test.verify(() -> {
                assertThat(v).isNotEmpty().doesNotHaveDuplicates().startsWith(1);
                assertThat(users.iterator().next().getLong(0)).isZero();
              });
              return v;
            }))
        .eventually(() -> Future.join(nodes.stream().map(Db::close).toList()))
        .eventually(() -> admin.primary().query("DROP DATABASE IF EXISTS " + scratch).execute())
        .eventually(admin::close)
        .onComplete(test.succeedingThenComplete());
  }
}
