package io.ravenpost.online;

import io.ravenpost.common.Conf;
import io.ravenpost.common.Fields;
import io.ravenpost.common.RavenConfig;
import io.vertx.core.json.JsonObject;

/**
 * The {@code watch} config section (env {@code RAVEN_WATCH_*}); the sweep's interval is the
 * scheduler's {@code scheduler.staleWatchesMs}.
 *
 * @param maxWaitMs the longest a watch is held, whatever {@code waitMs} asks; at most 65 s so that
 *     the gate's 70 s long-poll timeout never fires first
 * @param defaultWaitMs the hold when a watch gives no {@code waitMs}
 * @param maxHeldPerNode held watches (all kinds) one node keeps; more fail UNAVAILABLE
 * @param maxHeldUidsPerNode uids watched by the held watches of one node (an unread watch counts 1,
 *     a presence watch its uid count): heap grows with uids, not watches; more fail UNAVAILABLE
 */
public record WatchConfig(long maxWaitMs, long defaultWaitMs, int maxHeldPerNode, int maxHeldUidsPerNode) {
  /** The gate forwards {@code presence.watch} with a 70 s timeout; keep a margin under it. */
  static final long MAX_WAIT_CEILING_MS = 65_000;

  public static WatchConfig from(RavenConfig cfg) {
    JsonObject raw = new JsonObject().put("watch", cfg.section("watch"));
    long max = num(raw, "maxWaitMs", 60_000, 1, MAX_WAIT_CEILING_MS);
    return new WatchConfig(max, num(raw, "defaultWaitMs", Math.min(30_000, max), 0, max),
        (int) num(raw, "maxHeldPerNode", 100_000, 1, 10_000_000),
        (int) num(raw, "maxHeldUidsPerNode", 500_000, PresenceQuery.MAX_UIDS, 100_000_000));
  }

  /** The hold a body's {@code waitMs} asks for: the default when absent, never over the cap. */
  long waitFor(JsonObject body) {
    Long requested = Fields.optLong(body, "waitMs");
    if (requested == null) {
      return defaultWaitMs;
    }
    if (requested < 0) {
      throw Fields.bad("waitMs", "must not be negative");
    }
    return Math.min(requested, maxWaitMs);
  }

  private static long num(JsonObject raw, String key, long def, long min, long max) {
    if (raw.getJsonObject("watch").getValue(key) == null) {
      return def;
    }
    return Conf.longIn(raw, "watch." + key, min, max);
  }
}
