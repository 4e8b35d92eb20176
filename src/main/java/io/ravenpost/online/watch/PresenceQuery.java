package io.ravenpost.online.watch;

import io.ravenpost.common.Fields;
import io.ravenpost.common.config.WatchConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A checked presence watch body {@code {uids, known?, waitMs?}}: 1 to 200 distinct uids and, for
 * each, what the watcher believes ({@link #ONLINE}, {@link #OFFLINE}, or {@link #UNKNOWN} when
 * {@code known} does not say, which always differs from the truth).
 */
record PresenceQuery(long[] uids, byte[] known, long waitMs) {
  static final int MAX_UIDS = 200;
  static final byte OFFLINE = 0;
  static final byte ONLINE = 1;
  static final byte UNKNOWN = 2;

  static PresenceQuery parse(JsonObject body, WatchConfig cfg) {
    JsonArray list = Fields.optArray(body, "uids", MAX_UIDS);
    if (list == null || list.isEmpty()) {
      throw Fields.bad("uids", "must list 1 to " + MAX_UIDS + " uids");
    }
    Set<Long> distinct = new LinkedHashSet<>();
    for (Object v : list) {
      Long uid = uidOf(v);
      if (uid == null) {
        throw Fields.bad("uids", "must hold int64 uids (numbers or decimal strings), not " + v);
      }
      distinct.add(uid);
    }
    long[] uids = distinct.stream().mapToLong(Long::longValue).toArray();
    byte[] known = new byte[uids.length];
    Arrays.fill(known, UNKNOWN);
    JsonObject given = Fields.optObject(body, "known");
    if (given != null) {
      if (given.size() > MAX_UIDS) {
        throw Fields.bad("known", "has more than " + MAX_UIDS + " entries");
      }
      for (Map.Entry<String, Object> e : given) {
        Long uid = uidOf(e.getKey());
        if (uid == null) {
          throw Fields.bad("known", "keys must be decimal uids, not " + e.getKey());
        }
        if (!(e.getValue() instanceof Boolean b)) {
          throw Fields.bad("known", "values must be booleans (uid " + e.getKey() + ")");
        }
        int i = indexOf(uids, uid);
        if (i >= 0) {
          known[i] = b ? ONLINE : OFFLINE;
        }
      }
    }
    return new PresenceQuery(uids, known, waitFor(cfg, body));
  }

  static int indexOf(long[] uids, long uid) {
    for (int i = 0; i < uids.length; i++) {
      if (uids[i] == uid) {
        return i;
      }
    }
    return -1;
  }

  private static Long uidOf(Object v) {
    if (v instanceof Integer || v instanceof Long) {
      return ((Number) v).longValue();
    }
    if (v instanceof String s && s.matches("-?\\d{1,19}")) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  /** The hold a body's {@code waitMs} asks for: the default when absent, never over the cap. */
  static long waitFor(WatchConfig cfg, JsonObject body) {
    Long requested = Fields.optLong(body, "waitMs");
    if (requested == null) {
      return cfg.defaultWaitMs();
    }
    if (requested < 0) {
      throw Fields.bad("waitMs", "must not be negative");
    }
    return Math.min(requested, cfg.maxWaitMs());
  }
}
