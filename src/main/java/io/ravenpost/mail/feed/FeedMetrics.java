package io.ravenpost.mail.feed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;

/** The change feed's meters ({@code raven_feed_*}). */
public final class FeedMetrics {
  private final MeterRegistry registry;
  private final DistributionSummary syncChanges;

  public FeedMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.syncChanges = DistributionSummary.builder("raven_feed_sync_changes")
        .description("Changes one mail.sync answered").register(registry);
  }

  /** A sync answered: {@code changes} (possibly none) or {@code resync} with its reason. */
  void synced(String result, int changes) {
    Counter.builder("raven_feed_syncs_total").description("mail.sync answers by result")
        .tag("result", result).register(registry).increment();
    if (changes > 0) {
      syncChanges.record(changes);
    }
  }

  void opened(int n) {
    Counter.builder("raven_feed_opened_total").description("Mails whose startsAt passed, numbered and pushed")
        .register(registry).increment(n);
  }

  void trimmed(long n) {
    Counter.builder("raven_feed_trimmed_total").description("Feed entries older than mail.feedDays removed")
        .register(registry).increment(n);
  }
}
