package io.ravenpost.grants;

import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.common.Bus;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Held pulls and idle webhook senders of one node wait here for {@code raven.grants.ready} (a claim
 * committed somewhere in the cluster) or a time-out, whichever comes first. The time-out is what
 * finds grants whose lease or retry pause ended, and any event missed while the bus was down.
 */
final class GrantWake {
  private final Vertx vertx;
  private final AtomicBoolean subscribed = new AtomicBoolean();
  private final Set<Runnable> waiting = ConcurrentHashMap.newKeySet();

  GrantWake(Vertx vertx) {
    this.vertx = vertx;
  }

  /** Completes, on the caller's context, at the next event or after {@code maxMs}. */
  Future<Void> next(long maxMs) {
    if (subscribed.compareAndSet(false, true)) {
      Bus.subscribe(vertx, MailAddresses.GRANTS_READY, v -> waiting.forEach(Runnable::run));
    }
    Context ctx = vertx.getOrCreateContext();
    Promise<Void> woken = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, maxMs), t -> woken.tryComplete());
    Runnable wake = () -> ctx.runOnContext(v -> woken.tryComplete());
    waiting.add(wake);
    return woken.future().onComplete(ar -> {
      waiting.remove(wake);
      vertx.cancelTimer(timer);
    });
  }
}
