package io.ravenpost.mail.global.store;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** Meters of global mail ({@code raven_global_*} on {@code /metrics}). */
public final class GlobalMetrics {
  private final MeterRegistry registry;
  private final Timer distribution;
  private final Counter copies;
  private final Counter players;
  private final AtomicLong queued = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();

  public GlobalMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.distribution = Timer.builder("raven_global_distribution_seconds")
        .description("One distribution transaction (a batch of players of one shard)")
        .publishPercentileHistogram().register(registry);
    this.copies = Counter.builder("raven_global_copies_total")
        .description("Global mail copies inserted into mailboxes").register(registry);
    this.players = Counter.builder("raven_global_players_served_total")
        .description("Players whose distribution ran (whether or not they got anything)").register(registry);
  }

  /** Registers the login queue gauges; done once per node, by the mail role. */
  public void registerQueueGauges() {
    Gauge.builder("raven_global_queue_depth", queued, AtomicLong::get)
        .description("Uids waiting in the global mail login queue (cluster-wide)").register(registry);
    Gauge.builder("raven_global_inflight", inFlight, AtomicLong::get)
        .description("Uids taken by a distribution worker and not done yet (cluster-wide)").register(registry);
  }

  public void queue(long waiting, long taken) {
    queued.set(waiting);
    inFlight.set(taken);
  }

  public void created(String type, long startNanos) {
    Timer.builder("raven_global_create_seconds").tag("type", type).description("Creating one global mail")
        .publishPercentileHistogram().register(registry).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  public void served(int n) {
    players.increment(n);
  }

  public void distributed(int copiesInserted, long startNanos) {
    copies.increment(copiesInserted);
    distribution.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** A read the cache could not answer: {@code ids} (ZSET incomplete or Redis down) or {@code body}. */
  void cacheMiss(String what, int n) {
    Counter.builder("raven_global_cache_misses_total").tag("what", what).register(registry).increment(n);
  }

  public void withdrawn(int n) {
    Counter.builder("raven_global_withdrawn_total").description("Copies withdrawn by retractions")
        .register(registry).increment(n);
  }

  public void requeued(int n) {
    Counter.builder("raven_global_requeued_total").description("In-flight uids put back after their deadline")
        .register(registry).increment(n);
  }
}
