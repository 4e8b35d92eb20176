package io.ravenpost.mail.box;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.ravenpost.api.Frames;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** The mail role's meters ({@code raven_mail_*} on {@code /metrics}). */
public final class MailMetrics {
  private final MeterRegistry registry;
  private final Timer sendTimer;
  private final Counter grantsPublished;
  private final Counter grantsRetried;
  private final Counter pushes;
  private final Counter changePushes;
  private final AtomicLong backlog = new AtomicLong();
  private final Map<String, Meter> meters = new ConcurrentHashMap<>();

  public MailMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.sendTimer = Timer.builder("raven_mail_send_seconds").description("One send call, stored and committed")
        .publishPercentileHistogram().register(registry);
    this.grantsPublished = Counter.builder("raven_mail_grants_published_total")
        .description("Grants acknowledged by a raven.reward.grant consumer").register(registry);
    this.grantsRetried = Counter.builder("raven_mail_grants_retried_total")
        .description("Grant publish attempts that failed or timed out and will be retried").register(registry);
    this.pushes = Counter.builder("raven_mail_pushes_total").description("mail.new pushes sent to gates")
        .register(registry);
    this.changePushes = Counter.builder("raven_mail_change_pushes_total")
        .description("mail.changed pushes sent to gates (changes the player's session did not ask for)").register(registry);
  }

  /**
   * Registers the outbox backlog gauge; done once per node, by the mail verticle. The count is a
   * statement per shard, so it runs when the gauge is read (at most once per {@code refreshMs}; a
   * scrape sees the figure the previous refresh found) rather than on a timer: a node nobody
   * scrapes runs no statement for it.
   */
  public void registerBacklogGauge(Supplier<Future<Long>> count, long refreshMs) {
    AtomicLong refreshedAt = new AtomicLong(Long.MIN_VALUE / 2);
    Gauge.builder("raven_mail_outbox_backlog", backlog, b -> {
      long now = System.currentTimeMillis();
      long last = refreshedAt.get();
      if (now - last >= refreshMs && refreshedAt.compareAndSet(last, now)) {
        count.get().onSuccess(backlog::set);
      }
      return b.get();
    }).description("Grants not yet acknowledged, all shards").register(registry);
  }

  public void sent(String kind, int mails, long startNanos) {
    meter("sent/" + kind, () -> Counter.builder("raven_mail_sent_total").tag("kind", kind).register(registry))
        .increment(mails);
    sendTimer.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /** One group-commit transaction of sends, by the mails it writes. */
  public void sendBatch(int mails) {
    meter("batch", () -> DistributionSummary.builder("raven_mail_send_batch_mails")
        .description("Mails per group-commit transaction of sends").publishPercentileHistogram()
        .register(registry)).record(mails);
  }

  /** A group-commit transaction that failed and was written again send by send. */
  public void sendBatchSplit() {
    Counter.builder("raven_mail_send_batch_splits_total")
        .description("Send batches that failed and were retried one send at a time").register(registry).increment();
  }

  /** A send refused before it was written ({@code queue_full}: its shard's lane was full). */
  public void sendRefused(String reason) {
    Counter.builder("raven_mail_send_refused_total").tag("reason", reason)
        .description("Sends refused before they were written: queue_full").register(registry).increment();
  }

  /** One claim or claimAll by its result ({@code ok} or the error code). */
  public void claim(String op, String result, long startNanos) {
    meter("claims/" + op + "/" + result, () -> Counter.builder("raven_mail_claims_total").tag(Frames.OP, op)
        .tag("result", result).register(registry)).increment();
    meter("claim/" + op, () -> Timer.builder("raven_mail_claim_seconds").description("Claims, committed or refused")
        .tag(Frames.OP, op).publishPercentileHistogram().register(registry))
        .record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  /**
   * The meter of a per-call figure, registered once: building and registering it on every send or
   * claim hashed its id and tags each time (a registry lookup per call, seen in profiles).
   */
  @SuppressWarnings("unchecked")
  private <M extends Meter> M meter(String key, Supplier<M> register) {
    return (M) meters.computeIfAbsent(key, k -> register.get());
  }

  public void grantPublished() {
    grantsPublished.increment();
  }

  public void grantRetried() {
    grantsRetried.increment();
  }

  void pushed() {
    pushes.increment();
  }

  void changePushed() {
    changePushes.increment();
  }

  public void evicted(int n) {
    Counter.builder("raven_mail_evicted_total").description("Mail removed to keep a mailbox within capacity")
        .register(registry).increment(n);
  }

  public void overCapacity() {
    Counter.builder("raven_mail_over_capacity_total")
        .description("Sends that left a mailbox over capacity because the rest held unclaimed attachments")
        .register(registry).increment();
  }

  public void expired(String policy, int n) {
    Counter.builder("raven_mail_expired_total").tag("policy", policy).register(registry).increment(n);
  }
}
