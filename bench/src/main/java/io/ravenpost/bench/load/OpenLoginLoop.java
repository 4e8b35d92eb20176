package io.ravenpost.bench.load;

import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Sync;
import io.ravenpost.bench.node.BenchNode;
import io.ravenpost.bench.node.CpuMeter;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Logins at a fixed rate whatever the answers do (an open loop): connect, {@code auth.login},
 * close, started every 1/rate seconds. Latency counts from when a login was due, not from when
 * it could be sent, so a node that falls behind shows it (no coordinated omission), unlike the
 * closed loop, whose p99 measures mostly its own queue.
 */
public final class OpenLoginLoop {
  private static final long TICK_MS = 10;
  /** Logins under way beyond which new ones are counted as not started rather than piled up. */
  private static final int MAX_UNDER_WAY = 5000;

  public final Latency latency = new Latency();
  public final LongAdder logins = new LongAdder();
  public final LongAdder failed = new LongAdder();
  public final LongAdder notStarted = new LongAdder();
  public JsonObject cpu = new JsonObject();
  private final AtomicInteger underWay = new AtomicInteger();

  /** Runs {@code rate} logins/s on {@code node} for {@code seconds}, using {@code tokens} in turn. */
  public OpenLoginLoop run(Vertx vertx, LoadGen load, BenchNode node, String[] tokens, double rate, double seconds,
                           String label, CpuMeter cpuMeter) {
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    long total = (long) (rate * seconds);
    AtomicInteger issued = new AtomicInteger();
    cpuMeter.begin();
    try (Progress p = Progress.start(label, () -> String.format("%,d logins at %,.0f/s, p99 %.2f ms, %d failed",
        logins.sum(), rate, latency.ms(99), failed.sum()))) {
      long timer = vertx.setPeriodic(TICK_MS, id -> {
        long now = System.nanoTime();
        long due = Math.min(total, (long) ((now - start) / 1e9 * rate));
        while (issued.get() < due) {
          int k = issued.getAndIncrement();
          long dueAt = start + (long) (k / rate * 1e9);
          if (underWay.get() >= MAX_UNDER_WAY) {
            notStarted.increment();
            continue;
          }
          login(load, node.wsPort(), k, tokens[k % tokens.length], dueAt);
        }
      });
      while (System.nanoTime() < end || (underWay.get() > 0 && System.nanoTime() < end + 20_000_000_000L)) {
        Sync.sleep(50);
      }
      vertx.cancelTimer(timer);
    }
    cpu = cpuMeter.end(logins.sum());
    return this;
  }

  private void login(LoadGen load, int port, int k, String token, long dueAt) {
    underWay.incrementAndGet();
    load.connect(k, port)
        .compose(c -> c.login(token).andThen(ar -> c.close()))
        .onComplete(ar -> {
          underWay.decrementAndGet();
          if (ar.succeeded()) {
            latency.recordNanos(System.nanoTime() - dueAt);
            logins.increment();
          } else {
            failed.increment();
          }
        });
  }

  public JsonObject toJson(double rate) {
    return new JsonObject().put("ratePerSecond", Latency.round(rate)).put("logins", logins.sum())
        .put("failed", failed.sum()).put("notStarted", notStarted.sum()).put("latency", latency.toJson())
        .put("cpu", cpu);
  }
}
