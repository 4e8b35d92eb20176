package io.ravenpost.mail.box;

import io.ravenpost.common.Db;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Coalesces one-player statements arriving together (a login storm's users rows, its feed heads)
 * into one statement per shard every few milliseconds: one round trip (and for writes one commit)
 * instead of one per login. Each caller waits for its batch and goes on on its own context, not
 * on the context of the login that happened to flush the batch (its session, its log context).
 *
 * @param <I> what one caller adds
 * @param <O> what it is answered
 */
public final class ShardBatcher<I, O> {
  private static final int MAX_ITEMS = 200;
  private static final long LINGER_MS = 2;
  /**
   * A batch older than this is flushed by the next add: its timer belonged to the context of the
   * login that opened it, and a verticle undeployed at shutdown takes its timers with it.
   */
  private static final long STALE_NANOS = 50_000_000;

  private final Vertx vertx;
  private final Db db;
  /** Runs one batch on its shard; answers one result per item, in order. */
  private final BiFunction<Pool, List<I>, Future<List<O>>> run;
  private final Map<Integer, Batch<I, O>> pending = new HashMap<>();

  private static final class Batch<I, O> {
    final long openedAt = System.nanoTime();
    final List<I> items = new ArrayList<>();
    final List<Promise<O>> waiters = new ArrayList<>();
  }

  public ShardBatcher(Vertx vertx, Db db, BiFunction<Pool, List<I>, Future<List<O>>> run) {
    this.vertx = vertx;
    this.db = db;
    this.run = run;
  }

  /** Adds {@code item} to the next batch of {@code uid}'s shard; completes with its result. */
  public Future<O> add(long uid, I item) {
    int shard = db.shardOf(uid);
    Promise<O> p = ((ContextInternal) vertx.getOrCreateContext()).promise();
    boolean full;
    synchronized (this) {
      Batch<I, O> b = pending.get(shard);
      if (b == null) {
        b = new Batch<>();
        pending.put(shard, b);
        vertx.setTimer(LINGER_MS, id -> flush(shard));
      }
      b.items.add(item);
      b.waiters.add(p);
      full = b.items.size() >= MAX_ITEMS || System.nanoTime() - b.openedAt > STALE_NANOS;
    }
    if (full) {
      flush(shard);
    }
    return p.future();
  }

  private void flush(int shard) {
    Batch<I, O> b;
    synchronized (this) {
      b = pending.remove(shard);
    }
    if (b == null) {
      return;
    }
    Future<List<O>> ran;
    try {
      ran = run.apply(db.shard(shard), b.items);
    } catch (RuntimeException e) {
      ran = Future.failedFuture(e);
    }
    ran.onComplete(ar -> {
      // Every waiter is answered, whatever happens: a login must never wait for good.
      boolean answered = ar.succeeded() && ar.result().size() == b.waiters.size();
      for (int i = 0; i < b.waiters.size(); i++) {
        if (answered) {
          b.waiters.get(i).tryComplete(ar.result().get(i));
        } else {
          b.waiters.get(i).tryFail(ar.failed() ? ar.cause()
              : new IllegalStateException("a batch of " + b.waiters.size() + " answered " + ar.result().size()));
        }
      }
    });
  }

  /**
   * {@code n} rounded up to a power of two: a batch padded to it (repeating its last item) keeps a
   * connection to a handful of prepared statement shapes instead of one per batch size.
   */
  public static int padded(int n) {
    return Math.max(1, Integer.highestOneBit(Math.max(1, n) - 1) << 1);
  }
}
