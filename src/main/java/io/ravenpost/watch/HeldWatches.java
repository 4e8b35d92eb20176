package io.ravenpost.watch;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.ravenpost.watch.WatchConfig;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * This node's held watches: the bound, the wait timers, replacement, cancellation and every
 * answer, so that a watch is answered exactly once and then forgotten. Event-loop confined.
 *
 * <p>Metrics: gauges {@code raven_watch_held{kind}} and {@code raven_watch_held_uids}; counter
 * {@code raven_watch_total{kind, outcome}} with outcome {@code immediate} (answered without
 * waiting), {@code changed} (woken), {@code timeout}, {@code replaced}, {@code cancelled} (HTTP
 * caller gone), {@code gone} (session closed), {@code shutdown}, {@code rejected} (node full),
 * {@code failed}.
 */
final class HeldWatches {
  static final String IMMEDIATE = "immediate";
  static final String CHANGED = "changed";
  static final String TIMEOUT = "timeout";
  static final String REPLACED = "replaced";
  static final String CANCELLED = "cancelled";
  static final String GONE = "gone";
  static final String SHUTDOWN = "shutdown";
  static final String REJECTED = "rejected";
  static final String FAILED = "failed";

  private final Vertx vertx;
  private final int maxHeld;
  private final int maxHeldUids;
  private final MeterRegistry metrics;
  private final Map<Watch.Kind, WatchIndex> indexes = new EnumMap<>(Watch.Kind.class);
  private final Map<String, Watch> byRef = new HashMap<>();
  /** Sum of the uids the held watches wait on: what their memory grows with. */
  private volatile int heldUids;

  HeldWatches(Vertx vertx, WatchConfig cfg, MeterRegistry metrics) {
    this.vertx = vertx;
    this.maxHeld = cfg.maxHeldPerNode();
    this.maxHeldUids = cfg.maxHeldUidsPerNode();
    this.metrics = metrics;
    for (Watch.Kind k : Watch.Kind.values()) {
      WatchIndex index = new WatchIndex();
      indexes.put(k, index);
      Gauge.builder("raven_watch_held", index, WatchIndex::size).tag("kind", k.tag)
          .description("Long-poll watches held on this node").register(metrics);
    }
    Gauge.builder("raven_watch_held_uids", this, h -> h.heldUids)
        .description("Uids watched by the watches held on this node").register(metrics);
  }

  WatchIndex index(Watch.Kind kind) {
    return indexes.get(kind);
  }

  /**
   * Holds a watch for {@code waitMs}, answering the watcher's previous one. Fails UNAVAILABLE when
   * the node would hold more than its bounds (a replacement frees its predecessor's place first).
   */
  void park(Watch w, long waitMs) {
    WatchIndex index = indexes.get(w.kind());
    Watch previous = index.ofWatcher(w.watcher);
    int freedUids = previous == null ? 0 : previous.uids.length;
    if ((previous == null && size() >= maxHeld) || heldUids - freedUids + w.uids.length > maxHeldUids) {
      count(w.kind(), REJECTED);
      throw ErrorCode.UNAVAILABLE.error("this node holds as many watches as it may (" + size() + " watches on "
          + heldUids + " uids); retry later");
    }
    if (previous != null) {
      answer(previous, previous.unchanged(), REPLACED);
    }
    index.add(w);
    heldUids += w.uids.length;
    if (w.ref != null) {
      byRef.put(w.ref, w);
    }
    w.timer = vertx.setTimer(Math.max(1, waitMs), id -> {
      w.timer = -1;
      answer(w, w.unchanged(), TIMEOUT);
    });
  }

  /** Replies to a held watch (once; later calls are no-ops) and forgets it. */
  void answer(Watch w, JsonObject body, String outcome) {
    if (release(w)) {
      w.answer.tryComplete(body);
      count(w.kind(), outcome);
    }
  }

  /** Replies a coded failure to a held watch (once) and forgets it; false if it was already answered. */
  boolean fail(Watch w, Throwable t, String outcome) {
    if (!release(w)) {
      return false;
    }
    w.answer.tryFail(t);
    count(w.kind(), outcome);
    return true;
  }

  /** The caller of the watch named {@code ref} is gone: drop it (the reply would go nowhere). */
  void cancel(String ref) {
    Watch w = byRef.get(ref);
    if (w != null) {
      fail(w, ErrorCode.UNAVAILABLE.error("the caller is gone"), CANCELLED);
    }
  }

  /** Graceful stop: every held watch is answered UNAVAILABLE so its caller retries elsewhere. */
  void failAll(RavenException why) {
    for (WatchIndex index : indexes.values()) {
      for (Watch w : index.all()) {
        fail(w, why, SHUTDOWN);
      }
    }
  }

  /** Forgets every watch without answering (the node is dying as a crash would). */
  void dropAll() {
    for (WatchIndex index : indexes.values()) {
      index.all().forEach(this::release);
    }
  }

  int size() {
    int n = 0;
    for (WatchIndex index : indexes.values()) {
      n += index.size();
    }
    return n;
  }

  void count(Watch.Kind kind, String outcome) {
    Counter.builder("raven_watch_total").tag("kind", kind.tag).tag("outcome", outcome)
        .description("Long-poll watches by how they ended").register(metrics).increment();
  }

  private boolean release(Watch w) {
    if (w.done) {
      return false;
    }
    w.done = true;
    indexes.get(w.kind()).remove(w);
    heldUids -= w.uids.length;
    if (w.timer >= 0) {
      vertx.cancelTimer(w.timer);
    }
    if (w.ref != null) {
      byRef.remove(w.ref, w);
    }
    return true;
  }
}
