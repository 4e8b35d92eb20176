package io.ravenpost.common.config;

import io.vertx.core.json.JsonObject;

/**
 * The {@code scheduler} section: each job's interval in ms (env {@code RAVEN_SCHEDULER_<KEY>}).
 * Each run is taken by one node of the cluster.
 */
public record SchedulerConfig(long globalRepairMs, long globalRequeueMs, long globalResumeMs, long staleSessionsMs,
                              long staleWatchesMs, long mailExpiryMs, long mailPurgeMs, long mailRelayMs,
                              long mailOpeningMs, long mailFeedTrimMs, long schedulesMs) {
  private static final long DAY_MS = 24L * 3600 * 1000;

  public static SchedulerConfig from(JsonObject raw) {
    return new SchedulerConfig(ms(raw, "globalRepairMs"), ms(raw, "globalRequeueMs"), ms(raw, "globalResumeMs"),
        ms(raw, "staleSessionsMs"), ms(raw, "staleWatchesMs"), ms(raw, "mailExpiryMs"), ms(raw, "mailPurgeMs"),
        ms(raw, "mailRelayMs"), ms(raw, "mailOpeningMs"), ms(raw, "mailFeedTrimMs"), ms(raw, "schedulesMs"));
  }

  private static long ms(JsonObject raw, String key) {
    return Conf.longIn(raw, "scheduler." + key, 100, DAY_MS);
  }
}
