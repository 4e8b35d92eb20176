package io.ravenpost.common;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * The MySQL shards. Every query that touches a player's rows goes through {@link #forUid}, so
 * a mailbox lives on exactly one shard; rows that are not per player (global mail, idempotency
 * keys) live on {@link #primary()}.
 */
public final class Db {
  private final List<Pool> shards;

  private Db(List<Pool> shards) {
    this.shards = List.copyOf(shards);
  }

  public static Db connect(Vertx vertx, RavenConfig.MysqlConfig cfg) {
    List<Pool> pools = new ArrayList<>();
    for (String uri : cfg.shardUris()) {
      MySQLConnectOptions opts = MySQLConnectOptions.fromUri(uri.replaceFirst("^mariadb://", "mysql://"))
          .setCachePreparedStatements(true)
          .setPreparedStatementCacheMaxSize(256);
      pools.add(MySQLBuilder.pool()
          .with(new PoolOptions().setMaxSize(cfg.poolSize()).setMaxWaitQueueSize(10_000)
              .setConnectionTimeout(5).setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS))
          .connectingTo(opts)
          .using(vertx)
          .build());
    }
    return new Db(pools);
  }

  public Pool forUid(long uid) {
    return shards.get(shardOf(uid));
  }

  public int shardOf(long uid) {
    return (int) Math.floorMod(uid, (long) shards.size());
  }

  /** Shard {@code i} (0-based), as numbered by {@link #shardOf}. */
  public Pool shard(int i) {
    return shards.get(i);
  }

  public Pool primary() {
    return shards.get(0);
  }

  public List<Pool> all() {
    return shards;
  }

  /** Creates or migrates the schema on every shard; safe when several nodes start at once. */
  public Future<Void> migrate() {
    Future<Void> chain = Future.succeededFuture();
    for (Pool p : shards) {
      chain = chain.compose(v -> Migrations.run(p));
    }
    return chain;
  }

  public Future<Void> ping() {
    List<Future<?>> pings = new ArrayList<>();
    for (Pool p : shards) {
      pings.add(p.query("SELECT 1").execute());
    }
    return Future.all(pings).mapEmpty();
  }

  public Future<Void> close() {
    List<Future<?>> closes = new ArrayList<>();
    for (Pool p : shards) {
      closes.add(p.close());
    }
    return Future.all(closes).mapEmpty();
  }
}
