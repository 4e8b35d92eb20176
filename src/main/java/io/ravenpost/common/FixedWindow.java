package io.ravenpost.common;

import io.vertx.core.Future;
import io.vertx.redis.client.RedisAPI;
import java.util.List;

/**
 * A counter per key and fixed window in Redis: each hit is counted atomically (one script), and the
 * window starts with the first hit, so the limit holds cluster-wide however many hits arrive at once.
 */
public final class FixedWindow {
  /** Returns the count in the current window, this hit included. */
  static final String HIT = """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
      return n
      """;

  private FixedWindow() {
  }

  /** Counts one hit on {@code key}; answers the hits in the window so far, this one included. */
  public static Future<Long> hit(RedisAPI redis, String key, long windowMs) {
    return redis.eval(List.of(HIT, "1", key, Long.toString(windowMs))).map(r -> r.toLong());
  }
}
