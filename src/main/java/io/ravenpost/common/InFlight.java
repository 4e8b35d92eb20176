package io.ravenpost.common;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Work a role has accepted and not yet answered. A stopping role first stops taking new work, then
 * waits for this to drain, so a claim or a send that was under way when SIGTERM came commits and
 * is answered instead of being cut off with its database pool.
 */
public final class InFlight {
  private static final long POLL_MS = 20;

  private final Vertx vertx;
  private final AtomicInteger count = new AtomicInteger();

  public InFlight(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Runs {@code work}, counted until its future completes (however it completes). */
  public <T> Future<T> track(Supplier<Future<T>> work) {
    count.incrementAndGet();
    Future<T> f;
    try {
      f = work.get();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.andThen(ar -> count.decrementAndGet());
  }

  public int size() {
    return count.get();
  }

  /** Completes with the number of requests still open: 0 once all finished, more if {@code timeoutMs} passed first. */
  public Future<Integer> drained(long timeoutMs) {
    Promise<Integer> done = Promise.promise();
    long deadline = System.currentTimeMillis() + timeoutMs;
    check(done, deadline);
    return done.future();
  }

  private void check(Promise<Integer> done, long deadline) {
    int open = count.get();
    if (open == 0 || System.currentTimeMillis() >= deadline) {
      done.complete(open);
      return;
    }
    vertx.setTimer(POLL_MS, id -> check(done, deadline));
  }
}
