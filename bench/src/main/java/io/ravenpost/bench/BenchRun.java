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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Everything the scenarios of one run share: options, the load generator's Vert.x, tokens signed
 * with the cluster's secret, the admin client, and a run id that names the cluster, the Redis
 * prefix and the uid range, so runs never see each other's state; and the database of the
 * scenario running now.
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
  private Pool serverSql;
  private ScenarioStore store;
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

  /** A small pool on the MySQL server of --mysql, on no database: creates and drops the scenarios' ones. */
  synchronized Pool serverSql() {
    if (serverSql == null) {
      MySQLConnectOptions o = ScenarioStore.connectOptions(options.mysqlUri()).setDatabase("");
      serverSql = MySQLBuilder.pool().with(new PoolOptions().setMaxSize(SQL_POOL)).connectingTo(o).using(vertx).build();
    }
    return serverSql;
  }

  /** Opens the state the next scenario runs against (see {@link ScenarioStore}); it becomes {@link #store()}. */
  synchronized ScenarioStore openStore(String scenario) {
    store = ScenarioStore.open(this, scenario);
    return store;
  }

  /** The running scenario's database and Redis prefix. */
  public synchronized ScenarioStore store() {
    if (store == null) {
      throw new IllegalStateException("no scenario is running");
    }
    return store;
  }

  /** A small pool on the running scenario's database, for seeding and for the raw INSERT baselines. */
  public Pool sql() {
    return store().sql();
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
      v.put("mysql", Sync.await(serverSql().query("SELECT VERSION()").execute(), 5000).iterator().next().getString(0));
    } catch (RuntimeException e) {
      v.put("mysql", "unreachable: " + e.getMessage());
    }
    return v;
  }

  @Override
  public void close() {
    try {
      if (serverSql != null) {
        Sync.await(serverSql.close(), 10_000);
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
