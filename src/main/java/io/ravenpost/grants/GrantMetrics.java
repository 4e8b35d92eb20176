package io.ravenpost.grants;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/** The meters of grant delivery by webhook and pull ({@code raven_grants_*} on {@code /metrics}); one per node. */
final class GrantMetrics {
  private final MeterRegistry registry;
  private final Counter retried;
  private final Counter deadLettered;
  private final AtomicLong oldestMs = new AtomicLong();

  GrantMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.retried = Counter.builder("raven_grants_retried_total")
        .description("Webhook attempts that failed and were put back to be tried again").register(registry);
    this.deadLettered = Counter.builder("raven_grants_dead_lettered_total")
        .description("Grants left unacknowledged past grants.retentionDays").register(registry);
  }

  /** Registers the gauge of the oldest open grant; done by the mail nodes, which refresh it. */
  void registerOldestGauge() {
    Gauge.builder("raven_grants_oldest_unacked_seconds", oldestMs, a -> a.get() / 1000.0)
        .description("Age of the oldest grant neither acknowledged nor dead-lettered (0: none)").register(registry);
  }

  /** Grants acknowledged, by how they left: {@code webhook} or {@code pull}. */
  void delivered(String via, int n) {
    Counter.builder("raven_grants_delivered_total").description("Grants acknowledged by the game")
        .tag("via", via).register(registry).increment(n);
  }

  /** A webhook attempt that failed, by reason ({@code status}, {@code timeout}, {@code connection}); its grants retry. */
  void failed(String reason, int grants) {
    Counter.builder("raven_grants_failed_total").description("Webhook requests that failed, by reason")
        .tag("reason", reason).register(registry).increment();
    retried.increment(grants);
  }

  void deadLettered(long n) {
    deadLettered.increment(n);
  }

  void oldestUnacked(Long grantedAt) {
    oldestMs.set(grantedAt == null ? 0 : Math.max(0, System.currentTimeMillis() - grantedAt));
  }
}
