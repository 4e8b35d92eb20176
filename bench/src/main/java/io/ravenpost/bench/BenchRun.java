package io.ravenpost.bench;

import io.ravenpost.bench.load.AdminClient;
import io.ravenpost.bench.load.LoadGen;
import io.ravenpost.common.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Everything the scenarios of one run share: options, the load generator's Vert.x, tokens signed
 * with the cluster's secret, the admin client, and a run id that names the cluster, the Redis
 * prefix and the uid range, so runs never see each other's state.
 */
public final class BenchRun implements AutoCloseable {
  private static final long TOKEN_TTL_S = 6 * 3600;
  private static final int SQL_POOL = 4;

  private final BenchOptions options;
  private final Vertx vertx;
  private final LoadGen load;
  private final Tokens tokens;
  private final AdminClient admin;
  private final String runId;
  private final long uidBase;
  private long nextUid;
  private Pool sql;
  private RedisAPI redis;
  private Redis redisClient;

  BenchRun(BenchOptions options) {
    this.options = options;
    this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.loops())
        .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS));
    this.load = LoadGen.create(vertx, options.loops(), options.sourceAddresses());
    this.tokens = new Tokens(vertx, options.jwtSecret(), 0);
    // Admin tokens are signed with the operator secret, never the player one.
    this.admin = new AdminClient(vertx, new Tokens(vertx, options.adminJwtSecret(), 0)
        .mint(new JsonObject().put("sub", "1").put("role", "admin"), TOKEN_TTL_S));
    SecureRandom r = new SecureRandom();
    this.runId = Long.toString(System.currentTimeMillis() / 1000 % 100_000_000, 36)
        + Integer.toString(r.nextInt(36 * 36), 36);
    // Bench uids: a random block of 100M high in the int64 range, far from real players.
    this.uidBase = 8_000_000_000_000_000_000L + (r.nextLong() & 0xffffL) * 10_000_000_000L;
    this.nextUid = uidBase;
  }

  public BenchOptions options() {
    return options;
  }

  public Vertx vertx() {
    return vertx;
  }

  public LoadGen load() {
    return load;
  }

  public AdminClient admin() {
    return admin;
  }

  public String runId() {
    return runId;
  }

  public String redisPrefix() {
    return "rb" + runId + ":";
  }

  /** A block of {@code n} uids no other scenario of this run (or other run) uses. */
  public synchronized long uids(long n) {
    long first = nextUid;
    nextUid += n;
    return first;
  }

  /** A player token for {@code uid}, account created a day ago (eligible for "all to date" mail). */
  public String playerToken(long uid) {
    return playerToken(uid, System.currentTimeMillis() / 1000 - 86_400);
  }

  /** A player token for {@code uid} whose account was created at {@code createdAtS} (epoch seconds). */
  public String playerToken(long uid, long createdAtS) {
    return tokens.mint(new JsonObject().put("sub", Long.toString(uid)).put("role", "player")
        .put("name", "bench" + uid).put("created_at", createdAtS), TOKEN_TTL_S);
  }

  /** A small pool on the benchmark database, for seeding and for the raw INSERT baselines. */
  public synchronized Pool sql() {
    if (sql == null) {
      MySQLConnectOptions o = MySQLConnectOptions.fromUri(options.mysqlUri().replaceFirst("^mariadb://", "mysql://"));
      sql = MySQLBuilder.pool().with(new PoolOptions().setMaxSize(SQL_POOL)).connectingTo(o).using(vertx).build();
    }
    return sql;
  }

  /**
   * Drops every table of the benchmark's own database, so a scenario starts from what its nodes
   * create (no mailboxes filled or global mail left by an earlier scenario or run). Only ever the
   * database this run started nodes on.
   */
  public void emptyDatabase() {
    String uri = options.mysqlUri();
    String name = uri.substring(uri.lastIndexOf('/') + 1).replaceFirst("\\?.*", "");
    if (!name.contains("bench")) {
      // Someone pointed --mysql at a database of theirs: never drop what the benchmark did not make.
      Progress.say("database " + name + " is not a benchmark database (no 'bench' in its name): not emptied");
      return;
    }
    Pool db = sql();
    List<String> tables = new ArrayList<>();
    Sync.await(db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()").execute(),
        60_000).forEach(r -> tables.add(r.getString(0)));
    if (!tables.isEmpty()) {
      Sync.await(db.withConnection(c -> c.query("SET FOREIGN_KEY_CHECKS = 0").execute()
          .compose(v -> c.query("DROP TABLE IF EXISTS `" + String.join("`, `", tables) + "`").execute())
          .compose(v -> c.query("SET FOREIGN_KEY_CHECKS = 1").execute())), 120_000);
    }
  }

  public synchronized RedisAPI redis() {
    if (redis == null) {
      redisClient = Redis.createClient(vertx, options.redisUri());
      redis = RedisAPI.api(redisClient);
    }
    return redis;
  }

  /** Redis and MariaDB server versions, best effort. */
  JsonObject serverVersions() {
    JsonObject v = new JsonObject();
    try {
      String info = Sync.await(redis().info(List.of("server")), 5000).toString();
      info.lines().filter(l -> l.startsWith("redis_version:")).findFirst()
          .ifPresent(l -> v.put("redis", l.substring("redis_version:".length()).trim()));
    } catch (RuntimeException e) {
      v.put("redis", "unreachable: " + e.getMessage());
    }
    try {
      v.put("mysql", Sync.await(sql().query("SELECT VERSION()").execute(), 5000).iterator().next().getString(0));
    } catch (RuntimeException e) {
      v.put("mysql", "unreachable: " + e.getMessage());
    }
    return v;
  }

  @Override
  public void close() {
    try {
      if (sql != null) {
        Sync.await(sql.close(), 10_000);
      }
      if (redisClient != null) {
        redisClient.close();
      }
      Sync.await(admin.close(), 10_000);
    } catch (RuntimeException e) {
      // Closing is best effort; the JVM is about to exit or the test to end.
    }
    Sync.await(vertx.close(), 30_000);
  }
}
