package io.ravenpost.mail.global.distribute;

import io.ravenpost.common.Stores;
import io.ravenpost.mail.global.store.GlobalKeys;
import io.vertx.core.Future;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The global-mail design's login queue: a ZSET of uids (ZADD NX, score = when due) that workers take from, and the
 * in-flight ZSET (score = deadline) that a taken uid sits in until its distribution committed. A
 * take is one Lua script (take from the queue and add in flight together), so a worker that dies
 * leaves the uids it held in flight, and the requeue job puts them back once their deadline
 * passed. One uid is in one worker's batch at a time: queued again while in flight, it waits for
 * that batch to finish.
 */
public final class GlobalQueue {
  /** A taken batch: the uids and the deadline they were marked with. */
  record Taken(List<Long> uids, long deadline) {
  }

  private final Stores stores;
  private final GlobalKeys keys;

  public GlobalQueue(Stores stores, GlobalKeys keys) {
    this.stores = stores;
    this.keys = keys;
  }

  /** Queues uids that are not queued yet; answers how many were added. */
  public Future<Integer> enqueue(Collection<Long> uids) {
    if (uids.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<String> args = new ArrayList<>(List.of(GlobalKeys.ENQUEUE, "2", keys.queue(), keys.wake(),
        Long.toString(System.currentTimeMillis())));
    uids.forEach(u -> args.add(Long.toString(u)));
    return stores.redis().eval(args).map(Response::toInteger);
  }

  /** Takes up to {@code n} uids, oldest first, marking them in flight until now + {@code inflightMs}. */
  Future<Taken> take(int n, long inflightMs) {
    long deadline = System.currentTimeMillis() + inflightMs;
    return stores.redis().eval(List.of(GlobalKeys.POP, "3", keys.queue(), keys.inflight(), keys.wake(),
            Integer.toString(n), Long.toString(deadline), Long.toString(System.currentTimeMillis())))
        .map(r -> {
          List<Long> uids = new ArrayList<>();
          if (r != null) {
            r.forEach(u -> uids.add(u.toLong()));
          }
          return new Taken(uids, deadline);
        });
  }

  /**
   * The batch was distributed: its uids leave flight (unless another take holds them by now), and
   * those queued again while it ran are due at once.
   */
  Future<Void> done(Taken t) {
    if (t.uids().isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> args = new ArrayList<>(List.of(GlobalKeys.DONE, "3", keys.inflight(), keys.queue(), keys.wake(),
        Long.toString(t.deadline()), Long.toString(System.currentTimeMillis())));
    t.uids().forEach(u -> args.add(Long.toString(u)));
    return stores.redis().eval(args).mapEmpty();
  }

  /** The batch failed: its uids are queued again, due after {@code pauseMs}. */
  Future<Void> failed(Taken t, long pauseMs) {
    if (t.uids().isEmpty()) {
      return Future.succeededFuture();
    }
    List<String> args = new ArrayList<>(List.of(GlobalKeys.FAILED, "3", keys.inflight(), keys.queue(), keys.wake(),
        Long.toString(t.deadline()), Long.toString(System.currentTimeMillis() + pauseMs)));
    t.uids().forEach(u -> args.add(Long.toString(u)));
    return stores.redis().eval(args).mapEmpty();
  }

  /** Puts in-flight uids whose deadline passed back in the queue; answers how many. */
  public Future<Integer> requeueExpired(int batch) {
    return stores.redis().eval(List.of(GlobalKeys.REQUEUE, "3", keys.queue(), keys.inflight(), keys.wake(),
            Long.toString(System.currentTimeMillis()), Integer.toString(batch)))
        .compose(r -> {
          int n = r.toInteger();
          return n < batch ? Future.succeededFuture(n) : requeueExpired(batch).map(m -> n + m);
        });
  }

  public Future<Long> queued() {
    return stores.redis().zcard(keys.queue()).map(Response::toLong);
  }

  public Future<Long> inFlight() {
    return stores.redis().zcard(keys.inflight()).map(Response::toLong);
  }
}
