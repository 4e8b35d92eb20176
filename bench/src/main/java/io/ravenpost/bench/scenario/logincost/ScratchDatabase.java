package io.ravenpost.bench.scenario.logincost;

import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Sync;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Tuple;

/**
 * A database made for one scenario and dropped when it ends, so what it measures starts from a
 * state it created (the nodes migrate it) and leaves nothing behind. It is named
 * {@code <--mysql database>_<run id>} when that database is a {@code ravenpost_scratch_*} one, else
 * {@code ravenpost_scratch_<scenario>_<run id>}: the application user may create and drop
 * {@code ravenpost_scratch_%} databases (scripts/ensure-services.sh), and no others.
 */
final class ScratchDatabase implements AutoCloseable {
  private static final String SCRATCH = "ravenpost_scratch_";
  private static final long SQL_TIMEOUT_MS = 120_000;
  private static final int POOL = 4;

  private final String name;
  private final String uri;
  private final Pool server;
  private final Pool pool;
  /** Drops the database if the benchmark is stopped (SIGTERM, Ctrl-C) before the scenario ends. */
  private final Thread onExit;

  private ScratchDatabase(String name, String uri, Pool server, Pool pool) {
    this.name = name;
    this.uri = uri;
    this.server = server;
    this.pool = pool;
    this.onExit = new Thread(this::drop, "bench-drop-" + name);
    Runtime.getRuntime().addShutdownHook(onExit);
  }

  /** Creates the database; the caller closes it (which drops it), also when the scenario fails. */
  static ScratchDatabase create(BenchRun run, String scenario) {
    String base = run.options().mysqlUri();
    String name = name(databaseOf(base), scenario, run.runId());
    MySQLConnectOptions o = MySQLConnectOptions.fromUri(base.replaceFirst("^mariadb://", "mysql://"));
    // CREATE DATABASE needs no database of the session: the --mysql one may not exist at all.
    Pool server = MySQLBuilder.pool().with(new PoolOptions().setMaxSize(1))
        .connectingTo(new MySQLConnectOptions(o).setDatabase("")).using(run.vertx()).build();
    try {
      Sync.await(server.query("CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4").execute(), SQL_TIMEOUT_MS);
    } catch (RuntimeException e) {
      Sync.await(server.close(), 10_000);
      throw new IllegalStateException("cannot create database " + name + " (the user needs rights on "
          + SCRATCH + "%): " + e.getMessage(), e);
    }
    Pool pool = MySQLBuilder.pool().with(new PoolOptions().setMaxSize(POOL))
        .connectingTo(new MySQLConnectOptions(o).setDatabase(name)).using(run.vertx()).build();
    Progress.say(scenario + ": created database " + name);
    return new ScratchDatabase(name, withDatabase(base, name), server, pool);
  }

  static String name(String base, String scenario, String runId) {
    String prefix = base.startsWith(SCRATCH) ? base : SCRATCH + scenario;
    return (prefix + "_" + runId).replaceAll("[^A-Za-z0-9_]", "_");
  }

  static String databaseOf(String uri) {
    String path = uri.replaceFirst("\\?.*", "");
    int slash = path.indexOf('/', path.indexOf("://") + 3);
    return slash < 0 ? "" : path.substring(slash + 1);
  }

  static String withDatabase(String uri, String db) {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    int slash = path.indexOf('/', path.indexOf("://") + 3);
    return (slash < 0 ? path : path.substring(0, slash)) + "/" + db + (q < 0 ? "" : uri.substring(q));
  }

  String name() {
    return name;
  }

  /** The URI nodes are given ({@code RAVEN_MYSQL_URI}). */
  String uri() {
    return uri;
  }

  Pool pool() {
    return pool;
  }

  /** Registered players, mailbox rows and live global mails, as a phase ran against them. */
  JsonObject sizes() {
    long users = count("SELECT COUNT(*) FROM users", Tuple.tuple());
    long mailbox = count("SELECT COUNT(*) FROM mailbox", Tuple.tuple());
    long global = count("SELECT COUNT(*) FROM global_mail WHERE deleted_at IS NULL AND expires_at > ?",
        Tuple.of(System.currentTimeMillis()));
    return new JsonObject().put("users", users).put("mailboxRows", mailbox).put("globalMails", global);
  }

  long count(String sql, Tuple args) {
    return Sync.await(pool.preparedQuery(sql).execute(args), SQL_TIMEOUT_MS).iterator().next().getLong(0);
  }

  /** Drops the database; best effort, with a line saying what to drop by hand if it failed. */
  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(onExit);
    } catch (IllegalStateException e) {
      // Already shutting down: the hook drops it.
      return;
    }
    drop();
  }

  private void drop() {
    try {
      Sync.await(pool.close(), 10_000);
      Sync.await(server.query("DROP DATABASE IF EXISTS `" + name + "`").execute(), SQL_TIMEOUT_MS);
      Progress.say("dropped database " + name);
    } catch (RuntimeException e) {
      Progress.say("database " + name + " not dropped (" + e.getMessage() + "): DROP DATABASE it by hand");
    } finally {
      try {
        Sync.await(server.close(), 10_000);
      } catch (RuntimeException e) {
        // Closing is best effort; the database is dropped or named above.
      }
    }
  }
}
