package io.ravenpost.bench.load;

import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Sync;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When each of N sessions first received the push being measured, relative to the moment it
 * was triggered: time until the last one had it, deliveries per second, latency percentiles.
 */
public final class Deliveries {
  private static final long POLL_MS = 50;

  private final AtomicLongArray at;
  private final AtomicInteger count = new AtomicInteger();
  private volatile int frameBytes;
  private long startNanos;

  public Deliveries(int n) {
    this.at = new AtomicLongArray(n);
  }

  public void start() {
    startNanos = System.nanoTime();
  }

  /** Records session {@code i}'s first delivery; later ones are ignored. */
  public void delivered(int i, long atNanos, int bytes) {
    if (at.compareAndSet(i, 0, atNanos)) {
      count.incrementAndGet();
      frameBytes = bytes;
    }
  }

  /** Waits until {@code expected} sessions have it or the timeout passes; prints progress meanwhile. */
  public void await(String label, int expected, long timeoutMs) {
    long deadline = System.currentTimeMillis() + timeoutMs;
    try (Progress p = Progress.start(label, () -> String.format("%,d of %,d delivered", count.get(), expected))) {
      while (count.get() < expected && System.currentTimeMillis() < deadline) {
        Sync.sleep(POLL_MS);
      }
    }
  }

  public int count() {
    return count.get();
  }

  public int frameBytes() {
    return frameBytes;
  }

  public Latency latency() {
    Latency l = new Latency();
    for (int i = 0; i < at.length(); i++) {
      long t = at.get(i);
      if (t != 0) {
        l.recordNanos(t - startNanos);
      }
    }
    return l;
  }

  /** Milliseconds from the trigger until the last delivery seen. */
  public double lastMs() {
    long last = 0;
    for (int i = 0; i < at.length(); i++) {
      last = Math.max(last, at.get(i));
    }
    return last == 0 ? 0 : (last - startNanos) / 1e6;
  }

  public double perSecond() {
    double ms = lastMs();
    return ms <= 0 ? 0 : count() / (ms / 1000);
  }

  public JsonObject toJson(int expected) {
    return new JsonObject().put("sessions", expected).put("delivered", count()).put("missing", expected - count())
        .put("lastDeliveryMs", Latency.round(lastMs())).put("deliveriesPerSecond", Latency.round(perSecond()))
        .put("frameBytes", frameBytes).put("latency", latency().toJson());
  }
}
