package io.ravenpost.common;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.ravenpost.common.config.MysqlConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mysqlclient.MySQLBuilder;
import io.vertx.mysqlclient.MySQLConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.SqlConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MySQL shards. Every query that touches a player's rows goes through {@link #forUid}, so
 * a mailbox lives on exactly one shard; rows that are not per player (global mail, idempotency
 * keys) live on {@link #primary()}.
 */
public final class Db {
  private static final Logger LOG = LoggerFactory.getLogger(Db.class);
  /** InnoDB picks a victim when two writers cross; the victim's work is safe to run again. */
  private static final int ATTEMPTS = 8;

  private final Vertx vertx;
  private final List<Pool> shards;
  private final List<MySQLConnectOptions> targets;
  private final Counter retries;
  private final Counter exhausted;

  private Db(Vertx vertx, List<Pool> shards, List<MySQLConnectOptions> targets, MeterRegistry metrics) {
    this.vertx = vertx;
    this.shards = List.copyOf(shards);
    this.targets = List.copyOf(targets);
    this.retries = Counter.builder("raven_sql_retries_total")
        .description("Statements or transactions run again after a deadlock or lock-wait timeout").register(metrics);
    this.exhausted = Counter.builder("raven_sql_retries_exhausted_total")
        .description("Work that still deadlocked after every retry and failed").register(metrics);
  }

  public static Db connect(Vertx vertx, MysqlConfig cfg, MeterRegistry metrics) {
    List<Pool> pools = new ArrayList<>();
    List<MySQLConnectOptions> targets = new ArrayList<>();
    for (String uri : cfg.shardUris()) {
      MySQLConnectOptions opts = MySQLConnectOptions.fromUri(uri.replaceFirst("^mariadb://", "mysql://"))
          .setCachePreparedStatements(true)
          .setPreparedStatementCacheMaxSize(256);
      targets.add(opts);
      pools.add(MySQLBuilder.pool()
          .with(new PoolOptions().setMaxSize(cfg.poolSize()).setMaxWaitQueueSize(10_000)
              .setConnectionTimeout(5).setConnectionTimeoutUnit(java.util.concurrent.TimeUnit.SECONDS))
          .connectingTo(opts)
          .using(vertx)
          .build());
    }
    return new Db(vertx, pools, targets, metrics);
  }

  /** A transaction on {@code pool}, run again from the start on deadlock or lock-wait timeout. */
  public <T> Future<T> tx(Pool pool, Function<SqlConnection, Future<T>> work) {
    return retrying(() -> pool.withTransaction(work));
  }

  /**
   * Runs {@code work} again (after a short, growing, jittered pause) while MySQL reports a deadlock
   * or a lock-wait timeout. A single autocommit statement can be a deadlock victim too, so writes
   * outside transactions go through here as well.
   */
  public <T> Future<T> retrying(Supplier<Future<T>> work) {
    return attempt(work, 1);
  }

  /** {@code work} on every shard, one after the other (a job's batches never load all shards at once); the sum of what each answered. */
  public Future<Long> eachShard(Function<Pool, Future<? extends Number>> work) {
    Future<Long> chain = Future.succeededFuture(0L);
    for (Pool pool : shards) {
      chain = chain.compose(n -> work.apply(pool).map(m -> n + m.longValue()));
    }
    return chain;
  }

  /** A read, run once more if its connection died under it (the pool hands out a fresh one; a read is safe to repeat). */
  public <T> Future<T> read(Supplier<Future<T>> query) {
    return query.get().recover(t -> Errors.isConnectionLost(t) ? query.get() : Future.failedFuture(t));
  }

  private <T> Future<T> attempt(Supplier<Future<T>> work, int n) {
    return work.get().recover(t -> {
      if (!Errors.isRetryableSql(t)) {
        return Future.failedFuture(t);
      }
      if (n >= ATTEMPTS) {
        exhausted.increment();
        LOG.warn("gave up after {} attempts: {}", n, t.getMessage());
        return Future.failedFuture(t);
      }
      retries.increment();
      long pause = ThreadLocalRandom.current().nextLong(2, 10L << Math.min(n, 6));
      LOG.debug("attempt {} hit {}; retrying in {} ms", n, t.getMessage(), pause);
      return vertx.timer(pause).compose(v -> attempt(work, n + 1));
    });
  }

  public Vertx vertx() {
    return vertx;
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

  /**
   * Creates or migrates the schema on every shard, one after the other; safe when several nodes
   * start at once. Flyway speaks JDBC, which blocks, so this runs on a worker thread.
   */
  public Future<Void> migrate() {
    return vertx.executeBlocking(() -> {
      targets.forEach(Migrations::run);
      return null;
    }, false);
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
