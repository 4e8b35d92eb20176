package io.ravenpost.bench.scenario;

import io.ravenpost.bench.BenchOptions;
import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Goal;
import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Report;
import io.ravenpost.bench.Scenario;
import io.ravenpost.bench.Sync;
import io.ravenpost.bench.Table;
import io.ravenpost.bench.load.AdminClient;
import io.ravenpost.bench.load.Deliveries;
import io.ravenpost.bench.load.SessionPool;
import io.ravenpost.bench.node.BroadcastServer;
import io.ravenpost.bench.node.ChildNode;
import io.ravenpost.bench.node.NodeSet;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code push}: an {@code online} global mail to N connected players (POST /admin/mail with
 * target online): time until the last one has {@code mail.new}, deliveries per second, p99.
 * Baseline: a bare Vert.x WebSocket server ({@link BroadcastServer}) broadcasting a frame of the
 * same size to the same number of clients.
 */
public final class PushScenario implements Scenario {
  static final double GOAL_SHARE_OF_BASELINE = 0.5;
  static final double GOAL_P99_MS = 1000;
  private static final long START_TIMEOUT_MS = 60_000;
  private static final long WARM_UP_PAUSE_MS = 500;

  @Override
  public String name() {
    return "push";
  }

  @Override
  public Report run(BenchRun run) {
    BenchOptions o = run.options();
    Report report = new Report(name());
    int n = Limits.sessions(report, o.clientsOr(20_000, 50));
    long waitMs = o.smoke() ? 10_000 : 60_000;
    // Each side gets one unmeasured round first, so neither is timed with a cold JIT.
    AtomicReference<Deliveries> round = new AtomicReference<>(new Deliveries(n));
    AtomicReference<String> title = new AtomicReference<>("bench-push-" + run.runId() + "-warm-up");
    Deliveries real;
    try (NodeSet nodes = NodeSet.open(run, name(), 1)) {
      int port = nodes.get(0).adminPort();
      // Asked before anyone is online, so a working route costs nothing and a missing one no wait.
      String missing = onlineMail(run, port, "bench-push-" + run.runId() + "-probe", new Deliveries(1));
      if (missing != null) {
        return report.skip("online global mail not available (POST /admin/mail with target online answered "
            + missing + ")");
      }
      try (SessionPool pool = SessionPool.open(run, "push players", nodes.get(0).wsPort(), n, ix -> {
        JsonObject mail = ix.push().body().getJsonObject("mail");
        if ("mail.new".equals(ix.push().op()) && mail != null && title.get().equals(mail.getString("title"))) {
          round.get().delivered(ix.index(), ix.push().atNanos(), ix.push().bytes());
        }
      })) {
        onlineMail(run, port, title.get(), round.get());
        round.get().await("push warm-up", pool.open(), waitMs);
        Sync.sleep(WARM_UP_PAUSE_MS);
        real = new Deliveries(n);
        round.set(real);
        title.set("bench-push-" + run.runId());
        onlineMail(run, port, title.get(), real);
        real.await("push", pool.open(), waitMs);
        report.figures.put("sessionsOpen", pool.open());
      }
    }
    Deliveries base = baseline(run, n, Math.max(64, real.frameBytes()), waitMs);
    return describe(report, n, real, base);
  }

  /** Starts the clock and sends the online mail; null, or the answer that says the feature is missing. */
  private static String onlineMail(BenchRun run, int port, String title, Deliveries d) {
    d.start();
    JsonObject mail = new JsonObject().put("target", new JsonObject().put("type", "online")).put("title", title)
        .put("body", "benchmark push");
    AdminClient.Answer ans = Sync.await(run.admin().sendMail(port, mail), 60_000);
    if (AdminClient.featureMissing(ans)) {
      return ans.status() + " " + ans.errorCode();
    }
    if (ans.status() / 100 != 2) {
      throw new IllegalStateException("POST /admin/mail answered " + ans.status() + ": " + ans.body());
    }
    return null;
  }

  private static Deliveries baseline(BenchRun run, int n, int frameBytes, long waitMs) {
    int port = ChildNode.freeOffset(1000, 9000) + ChildNode.WS_BASE;
    Process server = startBareServer(run, port, "push-broadcast-server.log");
    try {
      AtomicReference<Deliveries> round = new AtomicReference<>(new Deliveries(n));
      try (SessionPool pool = SessionPool.open(run, "push baseline clients", port, new String[n], ix ->
          round.get().delivered(ix.index(), ix.push().atNanos(), ix.push().bytes()))) {
        broadcast(run, port, frameBytes, round.get());
        round.get().await("push baseline warm-up", pool.open(), waitMs);
        Sync.sleep(WARM_UP_PAUSE_MS);
        Deliveries d = new Deliveries(n);
        round.set(d);
        broadcast(run, port, frameBytes, d);
        d.await("push baseline", pool.open(), waitMs);
        return d;
      }
    } finally {
      server.destroy();
    }
  }

  private static void broadcast(BenchRun run, int port, int frameBytes, Deliveries d) {
    d.start();
    Sync.await(run.admin().get(port, "/broadcast?bytes=" + frameBytes), 60_000);
  }

  /** The bare Vert.x server ({@link BroadcastServer}: broadcast and echo) in a JVM of its own, listening. */
  static Process startBareServer(BenchRun run, int port, String logName) {
    Path log = run.options().outDir().resolve("logs").resolve(logName);
    Process server;
    try {
      server = ChildNode.spawn(run.options().nodeJavaOpts(), BroadcastServer.class.getName(),
          List.of(Integer.toString(port)), Map.of(), log);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the bare Vert.x server: " + e.getMessage(), e);
    }
    awaitListening(run, port, server);
    return server;
  }

  /** Waits until the bare server on {@code port} answers plain HTTP; fails if it exits or takes a minute. */
  static void awaitListening(BenchRun run, int port, Process server) {
    long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
    while (System.currentTimeMillis() < deadline && server.isAlive()) {
      try {
        if (Sync.await(run.admin().get(port, "/count"), 2000).status() == 200) {
          return;
        }
      } catch (RuntimeException e) {
        // Not listening yet.
      }
      Sync.sleep(200);
    }
    throw new IllegalStateException("bare server did not start on port " + port);
  }

  private static Report describe(Report report, int n, Deliveries real, Deliveries base) {
    double share = base.perSecond() <= 0 ? Double.NaN : real.perSecond() / base.perSecond();
    Latency rl = real.latency();
    Latency bl = base.latency();
    report.figures.put("push", real.toJson(n)).put("shareOfBaselineDeliveriesPerSecond", Latency.round(share));
    report.baseline.put("bareBroadcast", base.toJson(n));
    Table t = new Table(String.format("%,d players", n), "online global mail", "bare Vert.x broadcast");
    t.row("delivered", real.count(), base.count());
    t.row("last delivery after, ms", real.lastMs(), base.lastMs());
    t.row("deliveries/s", real.perSecond(), base.perSecond());
    t.row("p50 ms", rl.ms(50), bl.ms(50));
    t.row("p99 ms", rl.ms(99), bl.ms(99));
    t.row("frame bytes", real.frameBytes(), base.frameBytes());
    report.table(t);
    report.goal(Goal.atLeast("deliveries/s share of baseline", share, GOAL_SHARE_OF_BASELINE, "x"));
    report.goal(Goal.atMost("push p99", real.count() == 0 ? null : rl.ms(99), GOAL_P99_MS, "ms"));
    return report;
  }
}
