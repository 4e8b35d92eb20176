package io.ravenpost.watch;

import io.ravenpost.common.config.Conf;
import io.vertx.core.json.JsonObject;

/**
 * The {@code watch} section (env {@code RAVEN_WATCH_*}); the sweep's interval is the
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
  private static final long MAX_WAIT_CEILING_MS = 65_000;
  /** One presence watch may name this many uids, so a node must hold at least that many. */
  private static final int MAX_UIDS_PER_WATCH = 200;

  public static WatchConfig from(JsonObject raw) {
    long max = Conf.longIn(raw, "watch.maxWaitMs", 1, MAX_WAIT_CEILING_MS);
    return new WatchConfig(max, Conf.longIn(raw, "watch.defaultWaitMs", 0, max),
        Conf.intIn(raw, "watch.maxHeldPerNode", 1, 10_000_000),
        Conf.intIn(raw, "watch.maxHeldUidsPerNode", MAX_UIDS_PER_WATCH, 100_000_000));
  }
}
