package io.ravenpost.bench;

import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.mysqlclient.MySQLException;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The state one scenario runs against: a database of its own, created empty on the server of
 * {@code --mysql} and dropped when the scenario ends (also when it fails or the run is
 * interrupted), and the run's Redis key prefix, whose keys are deleted at the same moment. What
 * one scenario (or run) leaves can then never slow the next down. Against running nodes
 * ({@code --target}) the database is theirs: it is used as it is and never emptied or dropped.
 */
public final class ScenarioStore implements AutoCloseable {
  private static final int POOL = 4;
  private static final long SQL_TIMEOUT_MS = 120_000;
  private static final int MAX_NAME = 64;
  private static final int ACCESS_DENIED = 1044;

  private final BenchRun run;
  private final String scenario;
  private final String database;
  private final String mysqlUri;
  private final boolean owned;
  private final Pool sql;
  private final Thread onInterrupt;
  private boolean closed;

  private ScenarioStore(BenchRun run, String scenario, String database, String mysqlUri, boolean owned) {
    this.run = run;
    this.scenario = scenario;
    this.database = database;
    this.mysqlUri = mysqlUri;
    this.owned = owned;
    this.sql = MySQLBuilder.pool().with(new PoolOptions().setMaxSize(POOL)).connectingTo(connectOptions(mysqlUri))
        .using(run.vertx()).build();
    // Ctrl-C between create and drop must not leave a database behind for the next run to trip on.
    this.onInterrupt = new Thread(this::close, "bench-store-" + scenario);
    Runtime.getRuntime().addShutdownHook(onInterrupt);
  }

  /** Creates the scenario's database (nodes migrate it) or, with --target, takes the targets' one. */
  static ScenarioStore open(BenchRun run, String scenario) {
    BenchOptions o = run.options();
    if (o.reuseCluster()) {
      return new ScenarioStore(run, scenario, databaseOf(o.mysqlUri()), o.mysqlUri(), false);
    }
    String name = name(databaseOf(o.mysqlUri()), run.runId(), scenario);
    try {
      Sync.await(run.serverSql().query("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4").execute(),
          SQL_TIMEOUT_MS);
    } catch (MySQLException e) {
      if (e.getErrorCode() == ACCESS_DENIED) {
        throw new IllegalStateException("the benchmark's MySQL user may not create database " + name
            + ": grant it ALL on `" + databaseOf(o.mysqlUri()).replace("_", "\\_") + "\\_%`.* (run.sh bench does,"
            + " through scripts/ensure-services.sh)", e);
      }
      throw e;
    }
    Progress.say(scenario + ": database " + name + " created");
    return new ScenarioStore(run, scenario, name, BenchOptions.withDatabase(o.mysqlUri(), name), true);
  }

  /** {@code <base>_<runId>_<scenario>}: a benchmark database of this run only. */
  static String name(String base, String runId, String scenario) {
    String name = (base + "_" + runId + "_" + scenario).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    if (name.length() > MAX_NAME) {
      throw new IllegalArgumentException("database name " + name + " is longer than " + MAX_NAME
          + " characters: give --mysql a shorter database name");
    }
    return name;
  }

  public static String databaseOf(String uri) {
    String path = uri.replaceFirst("\\?.*", "");
    int slash = path.indexOf('/', path.indexOf("://") + 3);
    return slash < 0 ? "" : path.substring(slash + 1);
  }

  static MySQLConnectOptions connectOptions(String uri) {
    return MySQLConnectOptions.fromUri(uri.replaceFirst("^mariadb://", "mysql://"));
  }

  /** What started nodes get as RAVEN_MYSQL_URI. */
  public String mysqlUri() {
    return mysqlUri;
  }

  public Pool sql() {
    return sql;
  }

  /** True when this run created the database (and so may empty and drop it). */
  public boolean owned() {
    return owned;
  }

  /**
   * Drops every table, so nodes started next begin from what their own migrations create (a
   * scenario that starts nodes twice, as idle does, measures the second set on an empty schema
   * too). Only ever a database this run created.
   */
  public void emptyTables() {
    if (!owned) {
      return;
    }
    List<String> tables = new ArrayList<>();
    Sync.await(sql.query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()")
        .execute(), SQL_TIMEOUT_MS).forEach(r -> tables.add(r.getString(0)));
    if (!tables.isEmpty()) {
      Sync.await(sql.withConnection(c -> c.query("SET FOREIGN_KEY_CHECKS = 0").execute()
          .compose(v -> c.query("DROP TABLE IF EXISTS `" + String.join("`, `", tables) + "`").execute())
          .compose(v -> c.query("SET FOREIGN_KEY_CHECKS = 1").execute())), SQL_TIMEOUT_MS);
    }
  }

  /**
   * The sizes the scenario ran against, read when it ends: registered players, mailbox rows and
   * global mails (null for a table that is not there), and the run's Redis keys.
   */
  JsonObject sizes() {
    return new JsonObject().put("database", database).put("createdForTheScenario", owned)
        .put("users", count("users")).put("mailboxRows", count("mailbox")).put("globalMails", count("global_mail"))
        .put("redisKeys", redisKeysOrNull());
  }

  private Long redisKeysOrNull() {
    try {
      return redisKeys(false);
    } catch (RuntimeException e) {
      // A Redis Cluster seed, say, where SCAN sees one master: the sizes do without.
      return null;
    }
  }

  private Long count(String table) {
    try {
      return Sync.await(sql.query("SELECT COUNT(*) FROM `" + table + "`").execute(), SQL_TIMEOUT_MS)
          .iterator().next().getLong(0);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Counts (or deletes) the keys under the run's prefix; SCAN, so a big Redis is never blocked. */
  private long redisKeys(boolean delete) {
    String cursor = "0";
    long n = 0;
    do {
      Response r = Sync.await(run.redis().scan(List.of(cursor, "MATCH", run.redisPrefix() + "*", "COUNT", "1000")),
          30_000);
      cursor = r.get(0).toString();
      List<String> keys = new ArrayList<>();
      r.get(1).forEach(k -> keys.add(k.toString()));
      n += keys.size();
      if (delete && !keys.isEmpty()) {
        Sync.await(run.redis().unlink(keys), 30_000);
      }
    } while (!"0".equals(cursor));
    return n;
  }

  /** Drops the database (if this run made it) and deletes the run's Redis keys; best effort, once. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (Thread.currentThread() != onInterrupt) {
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook runs (or ran) this.
      }
    }
    try {
      Sync.await(sql.close(), 10_000);
      if (owned) {
        Sync.await(run.serverSql().query("DROP DATABASE IF EXISTS `" + database + "`").execute(), SQL_TIMEOUT_MS);
        Progress.say(scenario + ": database " + database + " dropped");
      }
      long keys = redisKeys(true);
      if (keys > 0) {
        Progress.say(scenario + ": deleted " + keys + " Redis keys under " + run.redisPrefix());
      }
    } catch (RuntimeException e) {
      Progress.say(scenario + ": cleaning up " + database + " failed (" + e.getMessage()
          + "); drop it by hand if it is still there");
    }
  }
}
