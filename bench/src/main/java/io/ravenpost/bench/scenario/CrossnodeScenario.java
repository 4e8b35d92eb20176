package io.ravenpost.bench.scenario;

import io.ravenpost.bench.BenchOptions;
import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Goal;
import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Report;
import io.ravenpost.bench.Scenario;
import io.ravenpost.bench.Sync;
import io.ravenpost.bench.Table;
import io.ravenpost.bench.load.AdminClient;
import io.ravenpost.bench.load.BenchClient;
import io.ravenpost.bench.load.SessionPool;
import io.ravenpost.bench.node.BenchNode;
import io.ravenpost.bench.node.NodeSet;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code crossnode}: a mail sent through node A's admin API to a player connected to node B.
 * Two latencies, reported apart: the POST (until its 201), against a bare single-row INSERT
 * commit; and commit → {@code mail.new} at the player, against raw event-bus request-reply A → B
 * between the same two JVMs. The commit's moment is when the POST was sent plus the node's own
 * time on it (its {@code Server-Timing}), which ends right after the commit: what remains until the
 * push arrives is the delivery (a send to one player has no other work after its commit).
 */
public final class CrossnodeScenario implements Scenario {
  static final double GOAL_RATIO = 3;
  static final double GOAL_POST_RATIO = 2;
  private static final int PAYLOAD_BYTES = 200;
  private static final long PUSH_TIMEOUT_MS = 10_000;
  private static final long POST_TIMEOUT_MS = 35_000;

  @Override
  public String name() {
    return "crossnode";
  }

  @Override
  public Report run(BenchRun run) {
    BenchOptions o = run.options();
    int players = o.clientsOr(50, 3);
    int seconds = o.durationOr(20, 2);
    Report report = new Report(name());
    try (NodeSet nodes = NodeSet.open(run, name(), o.nodesOr(2))) {
      if (nodes.size() < 2) {
        return report.skip("needs two nodes (--nodes 2, or two --target addresses)");
      }
      BenchNode a = nodes.get(0);
      BenchNode b = nodes.get(1);
      String bId = Sync.await(run.admin().nodeId(b.adminPort()), 10_000);
      Latency echo = EchoBaseline.measure(run, a, bId, o.smoke() ? 200 : 5000, PAYLOAD_BYTES);
      report.baseline.put("eventBusRequestReply", EchoBaseline.toJson(echo, PAYLOAD_BYTES));
      Latency insert = InsertBaseline.measure(run, o.smoke() ? 100 : 2000);
      report.baseline.put("singleRowInsertCommit", insert == null ? new JsonObject().put("available", false)
          : insert.toJson());
      AdminClient.Answer probe = Sync.await(run.admin().sendMail(a.adminPort(), mail(run.uids(1),
          "bench-" + run.runId() + "-probe")), 30_000);
      if (AdminClient.featureMissing(probe)) {
        report.skip("mail feature not available (POST /admin/mail answered " + probe.status() + " "
            + probe.errorCode() + ")");
        return describe(report, players, new Latency(), new Latency(), new Latency(), echo, insert);
      }
      Map<String, Promise<Long>> expected = new ConcurrentHashMap<>();
      try (SessionPool pool = SessionPool.open(run, "crossnode players on node B", b.wsPort(), players,
          ix -> arrived(ix, expected))) {
        Latency push = new Latency();
        Latency post = new Latency();
        Latency delivered = new Latency();
        Map<String, LongAdder> errors = new ConcurrentHashMap<>();
        sendMails(run, a, pool, seconds, expected, new Latency[] {push, post, delivered}, errors);
        JsonObject e = new JsonObject();
        new TreeMap<>(errors).forEach((k, v) -> e.put(k, v.sum()));
        report.figures.put("errors", e);
        if (!e.isEmpty()) {
          report.note("failed sends: " + e.encode());
        }
        String dead = nodes.deaths();
        if (dead != null) {
          report.note(dead);
        }
        return describe(report, players, push, post, delivered, echo, insert);
      }
    }
  }

  /** Sends one mail at a time A → a player on B until time is up; failures are counted by kind. */
  private static void sendMails(BenchRun run, BenchNode a, SessionPool pool, int seconds,
                                Map<String, Promise<Long>> expected, Latency[] out, Map<String, LongAdder> errors) {
    Latency push = out[0];
    Latency post = out[1];
    Latency delivered = out[2];
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long max = seconds * 2000L;
    try (Progress p = Progress.start("crossnode", () -> String.format("%,d mails pushed, p50 %.2f ms, p99 %.2f ms",
        push.count(), push.ms(50), push.ms(99)))) {
      for (long k = 0; k < max && System.nanoTime() < deadline; k++) {
        BenchClient c = pool.get((int) (k % pool.size()));
        if (c == null) {
          continue;
        }
        String title = "bench-" + run.runId() + "-" + k;
        Promise<Long> arrival = Promise.promise();
        expected.put(title, arrival);
        long t0 = System.nanoTime();
        AdminClient.Answer ans;
        try {
          ans = Sync.await(run.admin().sendMail(a.adminPort(), mail(c.uid, title)), POST_TIMEOUT_MS);
        } catch (IllegalStateException e) {
          errors.computeIfAbsent("POST " + BenchClient.codeOf(e), x -> new LongAdder()).increment();
          expected.remove(title);
          continue;
        }
        post.recordNanos(System.nanoTime() - t0);
        if (ans.status() / 100 != 2) {
          errors.computeIfAbsent("POST " + ans.status() + " " + ans.errorCode(), x -> new LongAdder()).increment();
          expected.remove(title);
          continue;
        }
        try {
          long at = Sync.await(arrival.future(), PUSH_TIMEOUT_MS);
          push.recordNanos(at - t0);
          if (ans.serverMs() >= 0) {
            delivered.recordNanos(Math.max(0, at - t0 - (long) (ans.serverMs() * 1e6)));
          }
        } catch (IllegalStateException e) {
          errors.computeIfAbsent("no mail.new within " + PUSH_TIMEOUT_MS + " ms", x -> new LongAdder()).increment();
        }
        expected.remove(title);
      }
    }
  }

  static JsonObject mail(long uid, String title) {
    return new JsonObject().put("target", new JsonObject().put("type", "users").put("uids", new JsonArray().add(uid)))
        .put("title", title).put("body", "benchmark mail");
  }

  private static void arrived(SessionPool.Indexed ix, Map<String, Promise<Long>> expected) {
    if (!"mail.new".equals(ix.push().op())) {
      return;
    }
    JsonObject mail = ix.push().body().getJsonObject("mail", new JsonObject());
    Promise<Long> p = expected.get(mail.getString("title", ""));
    if (p != null) {
      p.tryComplete(ix.push().atNanos());
    }
  }

  private static Report describe(Report report, int players, Latency push, Latency post, Latency delivered,
                                Latency echo, Latency insert) {
    Double ratio = echo == null || delivered.count() == 0 ? null : delivered.ms(99) / echo.ms(99);
    Double postRatio = insert == null || post.count() == 0 ? null : post.ms(99) / insert.ms(99);
    report.figures.put("players", players).put("push", push.toJson()).put("adminPost", post.toJson())
        .put("commitToDelivered", delivered.toJson()).put("deliveredP99VsEventBusP99", ratio)
        .put("postP99VsInsertP99", postRatio);
    if (report.isSkipped()) {
      Table t = new Table("", "event-bus request-reply A → B");
      t.row("samples", echo == null ? null : echo.count());
      t.row("p50 ms", echo == null ? null : echo.ms(50));
      t.row("p99 ms", echo == null ? null : echo.ms(99));
      report.table(t);
      return report;
    }
    Table t = new Table("", "commit → mail.new on B", "event-bus A → B", "POST /admin/mail → 201",
        "single-row INSERT commit", "POST → mail.new");
    t.row("samples", delivered.count(), echo == null ? null : echo.count(), post.count(),
        insert == null ? null : insert.count(), push.count());
    t.row("p50 ms", delivered.ms(50), echo == null ? null : echo.ms(50), post.ms(50),
        insert == null ? null : insert.ms(50), push.ms(50));
    t.row("p99 ms", delivered.ms(99), echo == null ? null : echo.ms(99), post.ms(99),
        insert == null ? null : insert.ms(99), push.ms(99));
    t.row("max ms", delivered.maxMs(), echo == null ? null : echo.maxMs(), post.maxMs(),
        insert == null ? null : insert.maxMs(), push.maxMs());
    report.table(t);
    report.goal(Goal.atMost("commit → delivered p99 / event-bus p99", ratio, GOAL_RATIO, "x"));
    report.goal(Goal.atMost("POST p99 / single-row INSERT commit p99", postRatio, GOAL_POST_RATIO, "x"));
    if (echo == null) {
      report.note("event-bus baseline not measured: " + EchoBaseline.toJson(null, 0).getString("why"));
    }
    if (insert == null) {
      report.note("single-row INSERT baseline not measured (no MySQL reachable from the bench)");
    }
    return report;
  }
}
