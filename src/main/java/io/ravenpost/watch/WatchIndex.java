package io.ravenpost.watch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The held watches of one kind, found by the uids they wait on (to wake them) and by watcher (to
 * replace them). Confined to the watch verticle's event loop; only {@link #size} is read elsewhere.
 */
final class WatchIndex {
  /** uid → the one watch waiting on it, or an identity set when there are several. */
  private final Map<Long, Object> byUid = new HashMap<>();
  private final Map<String, Watch> byWatcher = new HashMap<>();
  private volatile int size;

  void add(Watch w) {
    for (long uid : w.uids) {
      byUid.merge(uid, w, WatchIndex::join);
    }
    if (w.watcher != null) {
      byWatcher.put(w.watcher, w);
    }
    size++;
  }

  void remove(Watch w) {
    for (long uid : w.uids) {
      byUid.computeIfPresent(uid, (k, v) -> leave(v, w));
    }
    if (w.watcher != null) {
      byWatcher.remove(w.watcher, w);
    }
    size--;
  }

  /** The watches waiting on a uid, as a copy the caller may answer (and so remove) while iterating. */
  List<Watch> waitingOn(long uid) {
    Object v = byUid.get(uid);
    if (v == null) {
      return List.of();
    }
    return v instanceof Watch w ? List.of(w) : List.copyOf(set(v));
  }

  Watch ofWatcher(String watcher) {
    return watcher == null ? null : byWatcher.get(watcher);
  }

  /** Every held watch, once each (a presence watch is indexed under each of its uids). */
  List<Watch> all() {
    Set<Watch> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Object v : byUid.values()) {
      if (v instanceof Watch w) {
        seen.add(w);
      } else {
        seen.addAll(set(v));
      }
    }
    return new ArrayList<>(seen);
  }

  int size() {
    return size;
  }

  private static Object join(Object cur, Object added) {
    Set<Watch> s;
    if (cur instanceof Watch w) {
      s = Collections.newSetFromMap(new IdentityHashMap<>());
      s.add(w);
    } else {
      s = set(cur);
    }
    s.add((Watch) added);
    return s;
  }

  private static Object leave(Object cur, Watch w) {
    if (cur == w) {
      return null;
    }
    if (cur instanceof Watch) {
      return cur;
    }
    Set<Watch> s = set(cur);
    s.remove(w);
    if (s.size() > 1) {
      return s;
    }
    return s.isEmpty() ? null : s.iterator().next();
  }

  @SuppressWarnings("unchecked")
  private static Set<Watch> set(Object v) {
    return (Set<Watch>) v;
  }
}
