package io.ravenpost.bench;

import io.vertx.core.json.JsonObject;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/** A latency distribution in microseconds (1 µs .. 10 min, 3 significant digits), safe across event loops. */
public final class Latency {
  private static final long MAX_MICROS = 600_000_000L;

  private final Histogram h = new ConcurrentHistogram(1, MAX_MICROS, 3);

  public void recordNanos(long nanos) {
    recordMicros(nanos / 1000);
  }

  public void recordMicros(long micros) {
    h.recordValue(Math.max(1, Math.min(micros, MAX_MICROS)));
  }

  public long count() {
    return h.getTotalCount();
  }

  /** The {@code q}-quantile (0..100) in milliseconds; 0 when nothing was recorded. */
  public double ms(double percentile) {
    return count() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  public double maxMs() {
    return count() == 0 ? 0 : h.getMaxValue() / 1000.0;
  }

  double meanMs() {
    return count() == 0 ? 0 : h.getMean() / 1000.0;
  }

  public JsonObject toJson() {
    return new JsonObject().put("count", count()).put("meanMs", round(meanMs())).put("p50Ms", round(ms(50)))
        .put("p90Ms", round(ms(90))).put("p99Ms", round(ms(99))).put("p999Ms", round(ms(99.9)))
        .put("maxMs", round(maxMs()));
  }

  public static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
