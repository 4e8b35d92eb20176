package io.ravenpost.mail.global.distribute;

import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.global.store.GlobalConfig;
import io.ravenpost.mail.global.store.GlobalKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One distribution worker (the global-mail design's goroutine): takes uids from the login queue and distributes
 * to them. The take is atomic (due uids into the in-flight ZSET, one Lua script). When the queue is
 * empty the worker blocks in BZPOPMIN on the wake-up key, on a Redis connection of its own (a
 * blocking pop would stall every command pipelined behind it on a shared connection); a login
 * that queues a uid sets the wake-up key. Blocking on the wake-up key rather than on the queue
 * itself means a uid is never popped by a command that cannot also mark it in flight, so no uid
 * lives only in the memory of a worker that may die.
 */
public final class GlobalWorker {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalWorker.class);
  private static final int BLOCK_SECONDS = 1;
  private static final long RECONNECT_MS = 1000;
  /** A failed batch's pause before it is due again: long enough not to hammer a MySQL that is down. */
  private static final long FAILED_PAUSE_MS = 5000;

  private final NodeInfo node;
  private final Stores stores;
  private final GlobalConfig cfg;
  private final GlobalQueue queue;
  private final GlobalKeys keys;
  private final GlobalDistributor distributor;
  private final List<RedisConnection> connections = new ArrayList<>();
  private volatile boolean stopping;

  public GlobalWorker(NodeInfo node, Stores stores, GlobalConfig cfg, GlobalQueue queue, GlobalKeys keys, GlobalDistributor distributor) {
    this.node = node;
    this.stores = stores;
    this.cfg = cfg;
    this.queue = queue;
    this.keys = keys;
    this.distributor = distributor;
  }

  /** Starts {@code global.workers} loops; completes once each holds its connection. */
  public Future<Void> start() {
    List<Future<Void>> started = new ArrayList<>();
    for (int i = 0; i < cfg.workers(); i++) {
      started.add(connect().map(conn -> {
        loop(conn);
        return null;
      }));
    }
    return Future.all(started).mapEmpty();
  }

  public Future<Void> stop() {
    stopping = true;
    List<Future<Void>> closes = new ArrayList<>();
    synchronized (connections) {
      connections.forEach(c -> closes.add(c.close()));
      connections.clear();
    }
    return Future.join(closes).<Void>mapEmpty().recover(t -> Future.succeededFuture());
  }

  private Future<RedisConnection> connect() {
    return stores.redisClient().connect().map(conn -> {
      synchronized (connections) {
        connections.add(conn);
      }
      return conn;
    });
  }

  /** Take a batch; if there was one, distribute and go again at once, else block until woken (or a second passed). */
  private void loop(RedisConnection conn) {
    if (stopping) {
      return;
    }
    queue.take(cfg.workerBatch(), cfg.inflightMs())
        .compose(taken -> taken.uids().isEmpty() ? block(conn)
            : distributor.distribute(taken.uids())
                .compose(n -> queue.done(taken))
                // A failed batch is queued again after a pause (should that fail too, it stays in
                // flight and the requeue job puts it back after its deadline).
                .recover(t -> {
                  LOG.warn("distribution of {} uids failed ({}); they are retried in {} ms", taken.uids().size(),
                      t.toString(), retryPauseMs());
                  return queue.failed(taken, retryPauseMs()).recover(u -> Future.succeededFuture());
                }))
        .onComplete(ar -> {
          if (ar.succeeded() || stopping) {
            loop(conn);
            return;
          }
          LOG.warn("global mail worker on {}: {}; reconnecting", node.id(), ar.cause().toString());
          reconnect(conn);
        });
  }

  private long retryPauseMs() {
    return Math.min(FAILED_PAUSE_MS, cfg.inflightMs());
  }

  private Future<Void> block(RedisConnection conn) {
    return conn.send(Request.cmd(Command.BZPOPMIN).arg(keys.wake()).arg(BLOCK_SECONDS)).mapEmpty();
  }

  private void reconnect(RedisConnection old) {
    synchronized (connections) {
      connections.remove(old);
    }
    old.close();
    retryConnect();
  }

  private void retryConnect() {
    node.vertx().setTimer(RECONNECT_MS, id -> {
      if (stopping) {
        return;
      }
      connect().onSuccess(this::loop).onFailure(t -> {
        LOG.warn("global mail worker on {} cannot reach Redis: {}", node.id(), t.getMessage());
        retryConnect();
      });
    });
  }
}
