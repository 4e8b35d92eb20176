package io.ravenpost.gate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The gate's meters ({@code raven_gate_*} on {@code /metrics}). */
final class GateMetrics {
  private final MeterRegistry registry;
  private final Counter badFrames;
  private final Counter kicks;
  private final Counter slowConsumers;
  /** Replies by result: "ok" or the error code, so every refusal is visible. */
  private final Map<String, Counter> replies = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> perLoop = new ConcurrentHashMap<>();
  /** Logins by result and logouts by reason, each counter registered once (a login storm never looks one up). */
  private final Map<String, Counter> logins = new ConcurrentHashMap<>();
  private final Map<String, Counter> logouts = new ConcurrentHashMap<>();

  GateMetrics(MeterRegistry registry) {
    this.registry = registry;
    badFrames = Counter.builder("raven_gate_bad_frames_total").description("Frames that could not be decoded")
        .register(registry);
    kicks = Counter.builder("raven_gate_kicks_total").description("Sessions closed by the server, any reason")
        .register(registry);
    slowConsumers = Counter.builder("raven_gate_slow_consumers_total")
        .description("Connections closed because the client stopped reading (gate.maxQueuedBytes waiting)")
        .register(registry);
  }

  /** Session gauges over this node's session table. */
  void watch(Map<String, Session> sessions) {
    Gauge.builder("raven_gate_sessions", sessions, Map::size).description("Open client connections")
        .register(registry);
    Gauge.builder("raven_gate_sessions_online", sessions, s -> s.values().stream().filter(Session::online).count())
        .description("Authenticated sessions that own their registry entry").register(registry);
  }

  void eventLoops(int loops) {
    Gauge.builder("raven_gate_event_loops", () -> loops).description("Event loops the gate's listeners run on")
        .register(registry);
  }

  /** A session opened on the event loop named {@code loop} (counted per loop, so a skew shows). */
  void opened(String loop) {
    perLoop.computeIfAbsent(loop, l -> {
      AtomicInteger n = new AtomicInteger();
      Gauge.builder("raven_gate_sessions_per_loop", n, AtomicInteger::get).tag("loop", l)
          .description("Open client connections by the event loop that serves them").register(registry);
      return n;
    }).incrementAndGet();
  }

  void closed(String loop) {
    AtomicInteger n = perLoop.get(loop);
    if (n != null) {
      n.decrementAndGet();
    }
  }

  void slowConsumer() {
    slowConsumers.increment();
  }

  void badFrame() {
    badFrames.increment();
  }

  void kicked() {
    kicks.increment();
  }

  /** A session reconciled with the registry: its lost entry "reclaimed", or "closed" for another owner. */
  void reconciled(String outcome) {
    Counter.builder("raven_online_reconciled_total").tag("outcome", outcome)
        .description("Sessions whose registry entry was lost (reclaimed) or names another session (closed)")
        .register(registry).increment();
  }

  void replied(String result) {
    replies.computeIfAbsent(result, r -> Counter.builder("raven_gate_replies_total").tag("result", r)
        .description("Replies to client requests, by result (ok or error code)").register(registry)).increment();
  }

  /** A login answered: "ok" or the error code. */
  void loggedIn(String result) {
    logins.computeIfAbsent(result, r -> Counter.builder("raven_gate_logins_total").tag("result", r)
        .description("Logins answered, by result (ok or error code)").register(registry)).increment();
  }

  /** A session gave its registry entry back, by why it left. */
  void loggedOut(String reason) {
    logouts.computeIfAbsent(reason, r -> Counter.builder("raven_gate_logouts_total").tag("reason", r)
        .description("Sessions that left, by reason").register(registry)).increment();
  }
}
