package io.ravenpost.testkit;

import io.ravenpost.api.Topic;
import io.ravenpost.common.Bus;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * What a node published on one topic, for tests that wait on the event the product itself
 * announces (a player went offline, an unread count moved) instead of asking again and again.
 * Open it before the action that should publish, so the event cannot slip past.
 */
public final class BusEvents<T> implements AutoCloseable {
  private final LinkedBlockingQueue<T> seen = new LinkedBlockingQueue<>();
  private final List<T> passed = new ArrayList<>();
  private final MessageConsumer<JsonObject> consumer;

  private BusEvents(Vertx vertx, Topic<T> topic) {
    consumer = Bus.subscribe(vertx, topic, seen::add);
    Await.result(consumer.completion());
  }

  public static <T> BusEvents<T> on(Vertx vertx, Topic<T> topic) {
    return new BusEvents<>(vertx, topic);
  }

  /** The first event (seen since opening) that matches, or an AssertionError naming what never came. */
  public T await(String what, long timeoutMs, Predicate<T> match) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    for (T e : passed) {
      if (match.test(e)) {
        return e;
      }
    }
    try {
      while (true) {
        long left = deadline - System.nanoTime();
        T e = left <= 0 ? null : seen.poll(left, TimeUnit.NANOSECONDS);
        if (e == null) {
          throw new AssertionError("no event within " + timeoutMs + " ms: " + what + " (seen: " + passed + ")");
        }
        passed.add(e);
        if (match.test(e)) {
          return e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    Await.result(consumer.unregister());
  }
}
