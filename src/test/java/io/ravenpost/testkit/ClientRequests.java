package io.ravenpost.testkit;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** Requests a node's MySQL and Redis clients completed, from Vert.x's own client metrics. */
public final class ClientRequests {
  private ClientRequests() {
  }

  /** {@code {sql, redis}} so far. */
  public static long[] count(MeterRegistry registry) {
    long sql = 0;
    long redis = 0;
    for (Meter m : registry.getMeters()) {
      String name = m.getId().getName();
      if (m instanceof Timer t && name.endsWith("processing.time")) {
        if (name.contains("sql")) {
          sql += t.count();
        } else if (name.contains("redis")) {
          redis += t.count();
        }
      }
    }
    return new long[] {sql, redis};
  }
}
