package io.ravenpost.watch;

import io.ravenpost.api.Fields;
import io.ravenpost.api.watch.WatchPresence;
import io.ravenpost.watch.WatchConfig;
import java.util.Arrays;

/**
 * A presence watch in the compact form a node holds: the uids and, for each, what the watcher
 * believes ({@link #ONLINE}, {@link #OFFLINE}, or {@link #UNKNOWN} when {@code known} does not say,
 * which always differs from the truth), and how long to hold it.
 */
record PresenceQuery(long[] uids, byte[] known, long waitMs) {
  static final byte OFFLINE = 0;
  static final byte ONLINE = 1;
  static final byte UNKNOWN = 2;

  static PresenceQuery of(WatchPresence w, WatchConfig cfg) {
    long[] uids = w.uids().stream().mapToLong(Long::longValue).toArray();
    byte[] known = new byte[uids.length];
    Arrays.fill(known, UNKNOWN);
    w.known().forEach((uid, on) -> {
      int i = indexOf(uids, uid);
      if (i >= 0) {
        known[i] = on ? ONLINE : OFFLINE;
      }
    });
    return new PresenceQuery(uids, known, waitFor(cfg, w.waitMs()));
  }

  static int indexOf(long[] uids, long uid) {
    for (int i = 0; i < uids.length; i++) {
      if (uids[i] == uid) {
        return i;
      }
    }
    return -1;
  }

  /** The hold a watch's {@code waitMs} asks for: the default when absent, never over the cap. */
  static long waitFor(WatchConfig cfg, Long requested) {
    if (requested == null) {
      return cfg.defaultWaitMs();
    }
    if (requested < 0) {
      throw Fields.bad("waitMs", "must not be negative");
    }
    return Math.min(requested, cfg.maxWaitMs());
  }
}
