package io.ravenpost.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ravenpost.common.config.MysqlConfig;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.MainProcess;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.mysqlclient.MySQLConnectOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfoService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Schema migrations by Flyway on scratch databases: a fresh one gets every file, nodes starting
 * together apply each once, a database left by the runner that came before Flyway is taken over
 * without running anything twice, and an edited shipped file stops the node naming that file.
 */
@ExtendWith(VertxExtension.class)
class MigrationsTest {
  /** The files the old runner had applied on every database it migrated. */
  private static final List<String> OLD_FILES = List.of("V001__users.sql", "V002__mail.sql", "V003__global_mail.sql",
      "V004__global_online_resume.sql", "V005__idempotency_scope.sql", "V006__online_fanout.sql",
      "V007__operators_audit.sql");

  private final List<String> scratches = new ArrayList<>();

  @AfterEach
  void dropScratches() throws SQLException {
    try (Connection c = jdbc(TestEnv.mysqlUri()); Statement s = c.createStatement()) {
      for (String db : scratches) {
        s.execute("DROP DATABASE IF EXISTS " + db);
      }
    }
  }

  @Test
  void freshDatabaseGetsEveryMigration(Vertx vertx) throws SQLException {
    String uri = scratch();

    Await.result(db(vertx, uri).migrate(), 60_000);

    List<History> rows = history(uri);
    assertThat(rows).isNotEmpty().allMatch(r -> r.type.equals("SQL") && r.success);
    // Each file once, in version order. Versions may leave gaps: features are given ranges of their
    // own (schedules start at V030), so a gap is no missing file; none pending says every file ran.
    assertThat(rows.stream().map(r -> Integer.parseInt(r.version)).toList()).as("ascending, once each")
        .isSorted().doesNotHaveDuplicates();
    assertThat(rows.get(0).script).isEqualTo("V001__users.sql");
    assertThat(rows.stream().map(History::script)).contains("V030__schedules.sql");
    assertThat(pending(uri)).isZero();
    assertThat(count(uri, "SELECT COUNT(*) FROM users")).isZero();
    assertThat(tableExists(uri, Migrations.OLD_HISTORY)).isFalse();
  }

  @Test
  void nodesStartingTogetherOnAFreshDatabaseApplyEachMigrationOnce(Vertx vertx) throws SQLException {
    String uri = scratch();

    Await.result(Future.all(db(vertx, uri).migrate(), db(vertx, uri).migrate(), db(vertx, uri).migrate()), 120_000);
    List<History> first = history(uri);
    Await.result(db(vertx, uri).migrate(), 60_000);

    assertThat(first).isNotEmpty().allMatch(r -> r.type.equals("SQL") && r.success);
    assertThat(first.stream().map(History::version)).doesNotHaveDuplicates();
    assertThat(pending(uri)).isZero();
    assertThat(history(uri)).as("a later start applies nothing").isEqualTo(first);
  }

  @Test
  void theOldRunnersDatabaseIsTakenOverWithoutRunningAnythingTwice(Vertx vertx) throws SQLException {
    String uri = scratch();
    oldRunnerState(uri, OLD_FILES.size());
    exec(uri, "INSERT INTO users (uid, created_at, first_login_at, last_login_at) VALUES (42, 1, 1, 1)");

    Await.result(Future.all(db(vertx, uri).migrate(), db(vertx, uri).migrate(), db(vertx, uri).migrate()), 120_000);

    List<History> rows = history(uri);
    assertThat(rows.stream().filter(r -> r.type.equals("BASELINE")).map(History::version).toList())
        .as("one baseline, at the old runner's highest version").containsExactly("007");
    assertThat(rows.stream().filter(r -> r.type.equals("SQL")))
        .as("only files after the baseline run").allMatch(r -> Integer.parseInt(r.version) > 7 && r.success);
    assertThat(pending(uri)).isZero();
    assertThat(count(uri, "SELECT COUNT(*) FROM users WHERE uid = 42")).as("data kept").isOne();
    assertThat(count(uri, "SELECT COUNT(*) FROM " + Migrations.OLD_HISTORY)).as("the old table left as it was")
        .isEqualTo(7);
  }

  @Test
  void aTakeOverFromAnOlderVersionAppliesTheFilesAfterIt(Vertx vertx) throws SQLException {
    String uri = scratch();
    oldRunnerState(uri, 5);

    Await.result(db(vertx, uri).migrate(), 60_000);

    List<History> rows = history(uri);
    assertThat(rows.get(0).type).isEqualTo("BASELINE");
    assertThat(rows.get(0).version).isEqualTo("005");
    assertThat(rows.stream().filter(r -> r.type.equals("SQL")).map(History::script).toList())
        .startsWith("V006__online_fanout.sql", "V007__operators_audit.sql");
    assertThat(count(uri, "SELECT COUNT(*) FROM operators")).isZero();
  }

  @Test
  void anEditedMigrationStopsTheNodeNamingTheFile(Vertx vertx) throws SQLException {
    String uri = scratch();
    Await.result(db(vertx, uri).migrate(), 60_000);
    // What Flyway sees when V002__mail.sql was edited after it shipped.
    exec(uri, "UPDATE " + Migrations.HISTORY + " SET checksum = checksum + 1 WHERE version = '002'");

    Throwable refused = Await.failure(db(vertx, uri).migrate());
    assertThat(refused.getMessage()).startsWith("schema migration V002__mail.sql (checksum ")
        .contains("was changed after being applied to").endsWith("; restore it and add a new migration instead");

    MainProcess.Result node = MainProcess.run(Map.of("RAVEN_MYSQL_URI", uri, "RAVEN_MYSQL_SHARDS", "",
        "RAVEN_REDIS_URI", TestEnv.redisUri(), "RAVEN_CLUSTER_ENABLED", "false", "RAVEN_GATE_HOST", "127.0.0.1",
        "RAVEN_GATE_WS_PORT", "0", "RAVEN_GATE_TCP_PORT", "0", "RAVEN_ADMIN_PORT", "0"), "node");
    assertThat(node.code()).as(node.out()).isEqualTo(1);
    assertThat(node.out()).contains(refused.getMessage()).doesNotContain("\tat ");
  }

  private record History(String version, String script, String type, boolean success) {
  }

  private String scratch() throws SQLException {
    String name = "ravenpost_scratch_" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    scratches.add(name);
    String base = TestEnv.mysqlUri();
    exec(base, "CREATE DATABASE " + name);
    return base.substring(0, base.lastIndexOf('/') + 1) + name;
  }

  private static Db db(Vertx vertx, String uri) {
    return Db.connect(vertx, new MysqlConfig(List.of(uri), 2), new SimpleMeterRegistry());
  }

  /** What the runner before Flyway left: the first {@code upTo} files applied and listed in its table. */
  private static void oldRunnerState(String uri, int upTo) throws SQLException {
    exec(uri, "CREATE TABLE " + Migrations.OLD_HISTORY + " (version INT PRIMARY KEY, name VARCHAR(200) NOT NULL, "
        + "applied_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP) ENGINE=InnoDB");
    for (int i = 0; i < upTo; i++) {
      // The old runner's way: statements split at ";" before a line break, comment lines dropped.
      for (String stmt : read(OLD_FILES.get(i)).split(";\\s*\n")) {
        String sql = stmt.lines().filter(l -> !l.trim().startsWith("--")).reduce("", (a, b) -> a + b + "\n").trim();
        if (!sql.isEmpty()) {
          exec(uri, sql);
        }
      }
      exec(uri, "INSERT INTO " + Migrations.OLD_HISTORY + " (version, name) VALUES (" + (i + 1) + ", '"
          + OLD_FILES.get(i) + "')");
    }
  }

  private static List<History> history(String uri) throws SQLException {
    List<History> out = new ArrayList<>();
    try (Connection c = jdbc(uri); Statement s = c.createStatement();
         ResultSet r = s.executeQuery("SELECT version, script, type, success FROM " + Migrations.HISTORY
             + " ORDER BY installed_rank")) {
      while (r.next()) {
        out.add(new History(r.getString(1), r.getString(2), r.getString(3), r.getBoolean(4)));
      }
    }
    return out;
  }

  private static int pending(String uri) {
    MySQLConnectOptions o = options(uri);
    MigrationInfoService info = Flyway.configure().dataSource(Migrations.jdbcUrl(o), o.getUser(), o.getPassword())
        .locations(Migrations.LOCATION).table(Migrations.HISTORY).load().info();
    return info.pending().length;
  }

  private static boolean tableExists(String uri, String table) throws SQLException {
    return count(uri, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE() "
        + "AND table_name = '" + table + "'") > 0;
  }

  private static long count(String uri, String sql) throws SQLException {
    try (Connection c = jdbc(uri); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
      r.next();
      return r.getLong(1);
    }
  }

  private static void exec(String uri, String sql) throws SQLException {
    try (Connection c = jdbc(uri); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static Connection jdbc(String uri) throws SQLException {
    MySQLConnectOptions o = options(uri);
    return DriverManager.getConnection(Migrations.jdbcUrl(o), o.getUser(), o.getPassword());
  }

  private static MySQLConnectOptions options(String uri) {
    return MySQLConnectOptions.fromUri(uri.replaceFirst("^mariadb://", "mysql://"));
  }

  private static String read(String file) {
    try (InputStream in = MigrationsTest.class.getClassLoader().getResourceAsStream("db/migrations/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
