package io.ravenpost.mail.global.target;

import io.ravenpost.online.Entry;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Walks everyone online: the registry's bucket hashes, a group of buckets per pipelined round
 * trip, keeping entries whose node still holds its lease. A lazy send uses it in the background to
 * queue online players so they get the mail at once rather than at their next login.
 */
public final class GlobalFanout {
  /** Per round trip of a background walk: small, so it never holds a Redis connection for long. */
  public static final int GENTLE = 32;

  private final OnlineState registry;
  private final int bucketsPerStep;

  public GlobalFanout(OnlineState registry, int bucketsPerStep) {
    this.registry = registry;
    this.bucketsPerStep = bucketsPerStep;
  }

  /**
   * Hands the online uids to {@code step} in batches of about {@code batch}; a step answering false
   * stops the walk. Answers how many uids were handed over.
   */
  public Future<Integer> forEachOnline(int batch, Function<List<Long>, Future<Boolean>> step) {
    return walk(0, batch, new ArrayList<>(), new HashMap<>(), e -> true, step, 0);
  }

  private Future<Integer> walk(int from, int batch, List<Long> pending, Map<String, Boolean> alive,
                               Predicate<Entry> keep, Function<List<Long>, Future<Boolean>> step, int handed) {
    if (from >= registry.buckets()) {
      return pending.isEmpty() ? Future.succeededFuture(handed)
          : step.apply(pending).map(go -> handed + pending.size());
    }
    int next = Math.min(from + bucketsPerStep, registry.buckets());
    return registry.entries(from, next)
        .compose(entries -> liveness(entries, alive).map(v -> entries))
        .compose(entries -> {
          for (Entry e : entries) {
            if (alive.get(e.node()) && keep.test(e)) {
              pending.add(e.uid());
            }
          }
          if (pending.size() < batch) {
            return walk(next, batch, pending, alive, keep, step, handed);
          }
          int full = pending.size() - pending.size() % batch;
          List<Long> now = new ArrayList<>(pending.subList(0, full));
          pending.subList(0, full).clear();
          return drain(now, 0, batch, step).compose(go -> go
              ? walk(next, batch, pending, alive, keep, step, handed + now.size())
              : Future.succeededFuture(handed + now.size()));
        });
  }

  /** Steps through {@code uids} a batch at a time; false as soon as a step says stop. */
  private static Future<Boolean> drain(List<Long> uids, int from, int batch,
                                       Function<List<Long>, Future<Boolean>> step) {
    if (from >= uids.size()) {
      return Future.succeededFuture(true);
    }
    return step.apply(uids.subList(from, Math.min(uids.size(), from + batch)))
        .compose(go -> go ? drain(uids, from + batch, batch, step) : Future.succeededFuture(false));
  }

  private Future<Void> liveness(List<Entry> entries, Map<String, Boolean> alive) {
    List<String> unknown = entries.stream().map(Entry::node).distinct().filter(n -> !alive.containsKey(n)).toList();
    List<Future<Boolean>> checks = unknown.stream().map(registry::nodeAlive).toList();
    return Future.all(checks).map(cf -> {
      for (int i = 0; i < unknown.size(); i++) {
        alive.put(unknown.get(i), cf.<Boolean>resultAt(i));
      }
      return null;
    });
  }
}
