package io.ravenpost.bench.scenario;

import io.ravenpost.bench.BenchOptions;
import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Goal;
import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Report;
import io.ravenpost.bench.Scenario;
import io.ravenpost.bench.Table;
import io.ravenpost.bench.load.BenchClient;
import io.ravenpost.bench.load.SessionPool;
import io.ravenpost.bench.node.ChildNode;
import io.ravenpost.bench.node.CpuMeter;
import io.ravenpost.bench.node.NodeSet;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code heartbeat}: N logged-in sessions heartbeating as fast as 200 requests in flight allow,
 * and the node's CPU per heartbeat, against a bare Vert.x WebSocket echo with N connections in
 * the same run. A heartbeat answers the unread count from Redis (no MySQL), so the difference is
 * the price of a Redis read, the session checks and the reply: at most 3x the echo's CPU.
 */
public final class HeartbeatScenario implements Scenario {
  private static final int IN_FLIGHT = 200;
  static final double GOAL_CPU_VS_ECHO = 3;

  @Override
  public String name() {
    return "heartbeat";
  }

  @Override
  public Report run(BenchRun run) {
    BenchOptions o = run.options();
    Report report = new Report(name());
    int n = Limits.sessions(report, o.clientsOr(19_000, 50));
    long ms = o.smoke() ? 1500 : 15_000;
    Result ours;
    try (NodeSet nodes = NodeSet.open(run, name(), 1);
         SessionPool pool = SessionPool.open(run, "heartbeat players", nodes.get(0).wsPort(), n, p -> { })) {
      drive(pool, Math.min(ms, 3000), "heartbeat warm-up", CpuMeter.of(nodes.all()));
      ours = drive(pool, ms, "heartbeat", CpuMeter.of(nodes.all()));
      String dead = nodes.deaths();
      if (dead != null) {
        report.note(dead);
      }
    }
    Result echo = baseline(run, n, ms);
    double oursCpu = orNaN(LoginScenario.cpuPerOp(ours.cpu, "node0"));
    double echoCpu = orNaN(LoginScenario.cpuPerOp(echo.cpu, "echo"));
    report.figures.put("sessions", n).put("heartbeats", ours.toJson()).put("nodeCpuMsPerHeartbeat", oursCpu)
        .put("cpuRatioToEcho", Latency.round(oursCpu / echoCpu));
    report.baseline.put("bareEcho", echo.toJson()).put("echoCpuMsPerMessage", echoCpu);
    Table t = new Table(String.format("%,d sessions", n), "heartbeat", "bare WebSocket echo");
    t.row("answered per second", Latency.round(ours.perSecond()), Latency.round(echo.perSecond()));
    t.row("p50 / p99, ms", ours.latency.ms(50) + " / " + ours.latency.ms(99),
        echo.latency.ms(50) + " / " + echo.latency.ms(99));
    t.row("server CPU per message, ms", oursCpu, echoCpu);
    t.row("failed", ours.failed.sum(), echo.failed.sum());
    report.table(t);
    report.goal(Goal.atMost("heartbeat CPU / echo CPU", oursCpu / echoCpu, GOAL_CPU_VS_ECHO, "x"));
    report.note("a heartbeat reads the unread count from Redis and touches no MySQL (UnreadWithoutSqlTest)");
    return report;
  }

  private static double orNaN(Double v) {
    return v == null ? Double.NaN : v;
  }

  private static Result baseline(BenchRun run, int n, long ms) {
    int port = ChildNode.freeOffset(1000, 9000) + ChildNode.WS_BASE;
    Process server = PushScenario.startBareServer(run, port, "heartbeat-echo-server.log");
    try {
      try (SessionPool pool = SessionPool.open(run, "echo clients", port, new String[n], p -> { })) {
        drive(pool, Math.min(ms, 3000), "echo warm-up", CpuMeter.of("echo", server.pid()));
        return drive(pool, ms, "echo", CpuMeter.of("echo", server.pid()));
      }
    } finally {
      server.destroy();
    }
  }

  /** Heartbeats over every session in turn, {@value #IN_FLIGHT} at a time, for {@code ms}. */
  private static Result drive(SessionPool pool, long ms, String label, CpuMeter cpu) {
    Result r = new Result(ms);
    AtomicInteger next = new AtomicInteger();
    CountDownLatch workers = new CountDownLatch(IN_FLIGHT);
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
    cpu.begin();
    try (Progress p = Progress.start(label, () -> String.format("%,d answered, %,d failed", r.latency.count(),
        r.failed.sum()))) {
      for (int w = 0; w < IN_FLIGHT; w++) {
        beat(pool, next, end, r, workers);
      }
      awaitQuietly(workers, ms + BenchClient.REQUEST_TIMEOUT_MS * 2);
    }
    r.cpu = cpu.end(r.latency.count());
    return r;
  }

  private static void beat(SessionPool pool, AtomicInteger next, long end, Result r, CountDownLatch workers) {
    long now = System.nanoTime();
    BenchClient c = null;
    for (int tries = 0; c == null && tries < pool.size(); tries++) {
      c = pool.get(Math.floorMod(next.getAndIncrement(), pool.size()));
    }
    if (now > end || c == null) {
      workers.countDown();
      return;
    }
    c.request("heartbeat", new JsonObject()).onComplete(ar -> {
      // The echo answers the request itself; the node answers ok or an error (a refusal is a failure).
      if (ar.succeeded() && !ar.result().containsKey("error")) {
        r.latency.recordNanos(System.nanoTime() - now);
      } else {
        r.failed.increment();
      }
      beat(pool, next, end, r, workers);
    });
  }

  private static void awaitQuietly(CountDownLatch latch, long ms) {
    try {
      latch.await(ms, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Result {
    final Latency latency = new Latency();
    final LongAdder failed = new LongAdder();
    final long ms;
    JsonObject cpu = new JsonObject();

    Result(long ms) {
      this.ms = ms;
    }

    double perSecond() {
      return latency.count() * 1000.0 / ms;
    }

    JsonObject toJson() {
      return new JsonObject().put("answered", latency.count()).put("failed", failed.sum())
          .put("perSecond", Latency.round(perSecond())).put("latency", latency.toJson()).put("cpu", cpu);
    }
  }
}
