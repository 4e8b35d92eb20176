package io.ravenpost.bench.scenario;

import io.ravenpost.bench.BenchOptions;
import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Latency;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Report;
import io.ravenpost.bench.Scenario;
import io.ravenpost.bench.Sync;
import io.ravenpost.bench.Table;
import io.ravenpost.bench.load.AdminClient;
import io.ravenpost.bench.load.BenchClient;
import io.ravenpost.bench.load.SessionPool;
import io.ravenpost.bench.node.NodeSet;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code sync}: what a reconnecting client's {@code mail.sync} costs when it missed 0, 10 or 200
 * changes (MySQL statements per sync, p50/p99), against the reload it replaces ({@code mail.list}
 * of one page) in the same run. Every player first gets {@value #SENDS} mails (the mailbox's
 * capacity turns the oldest into deletions, also changes), so each gap is read from a full feed.
 */
public final class SyncScenario implements Scenario {
  private static final int SENDS = 210;
  private static final int IN_FLIGHT = 20;
  private static final String SQL = "vertx_sql_processing_time_seconds_count";

  @Override
  public String name() {
    return "sync";
  }

  @Override
  public Report run(BenchRun run) {
    BenchOptions o = run.options();
    Report report = new Report(name());
    int players = o.clientsOr(100, 10);
    int rounds = o.smoke() ? 2 : 5;
    try (NodeSet nodes = NodeSet.open(run, name(), 1);
         SessionPool pool = SessionPool.open(run, "sync players", nodes.get(0).wsPort(), players, p -> { })) {
      int admin = nodes.get(0).adminPort();
      JsonArray uids = new JsonArray();
      for (int i = 0; i < pool.size(); i++) {
        uids.add(pool.get(i).uid);
      }
      fill(run, admin, uids);
      List<JsonObject> heads;
      try {
        heads = heads(pool);
      } catch (RuntimeException e) {
        return report.skip("the node has no change feed (mail.sync answered " + e.getMessage() + ")");
      }
      Table t = new Table(String.format("%,d players, %d syncs each", players, rounds), "p50 ms", "p99 ms",
          "MySQL statements each", "changes each");
      for (int gap : new int[] {0, 10, 200}) {
        Measured m = measure(run, admin, pool, rounds, (i, c) -> sync(c, heads.get(i), gap), "mail.sync, " + gap + " missed");
        t.row("mail.sync, " + gap + " missed", m.latency.ms(50), m.latency.ms(99), m.statementsEach(), m.itemsEach());
        report.figures.put("sync" + gap, m.toJson());
      }
      Measured list = measure(run, admin, pool, rounds, (i, c) -> c.call("mail.list", new JsonObject().put("limit", 20))
          .map(r -> r.getJsonArray("mails").size()), "mail.list, one page of 20");
      t.row("mail.list of 20 (the reload a resync asks for)", list.latency.ms(50), list.latency.ms(99),
          list.statementsEach(), list.itemsEach());
      report.baseline.put("list20", list.toJson());
      report.table(t);
      report.note(SENDS + " mails per player before measuring; the mailbox keeps " + "its capacity, so the feed "
          + "also holds the deletions that made room");
    }
    return report;
  }

  /** {@value #SENDS} sends to every player, {@value #IN_FLIGHT} at a time. */
  private static void fill(BenchRun run, int admin, JsonArray uids) {
    AtomicInteger next = new AtomicInteger();
    LongAdder failed = new LongAdder();
    List<Future<Void>> workers = new ArrayList<>();
    try (Progress p = Progress.start("sync: filling mailboxes", () -> String.format("%d of %d sends, %d failed",
        next.get(), SENDS, failed.sum()))) {
      for (int w = 0; w < IN_FLIGHT; w++) {
        workers.add(sendNext(run, admin, uids, next, failed));
      }
      Sync.await(Future.join(workers), 600_000);
    }
    if (failed.sum() > 0) {
      throw new IllegalStateException(failed.sum() + " of " + SENDS + " sends failed while filling mailboxes");
    }
  }

  private static Future<Void> sendNext(BenchRun run, int admin, JsonArray uids, AtomicInteger next, LongAdder failed) {
    int k = next.getAndIncrement();
    if (k >= SENDS) {
      return Future.succeededFuture();
    }
    JsonObject mail = new JsonObject().put("target", new JsonObject().put("type", "users").put("uids", uids))
        .put("title", "sync bench " + k).put("body", "body " + k);
    return run.admin().sendMail(admin, mail).compose(a -> {
      if (a.status() / 100 != 2) {
        failed.increment();
      }
      return sendNext(run, admin, uids, next, failed);
    });
  }

  /** Each player's head and epoch: a sync from far ahead answers resync with both. */
  private static List<JsonObject> heads(SessionPool pool) {
    List<JsonObject> out = new ArrayList<>();
    for (int i = 0; i < pool.size(); i++) {
      out.add(Sync.await(pool.get(i).call("mail.sync", new JsonObject().put("since", Long.MAX_VALUE / 2)
          .put("epoch", "unknown")), 30_000));
    }
    return out;
  }

  private static Future<Integer> sync(BenchClient c, JsonObject head, int gap) {
    return c.call("mail.sync", new JsonObject().put("since", head.getLong("seq") - gap)
        .put("epoch", head.getString("epoch"))).map(r -> {
          if (r.getJsonArray("changes") == null || r.getJsonArray("changes").size() != gap) {
            throw new IllegalStateException("mail.sync answered " + r.encode().substring(0, 120));
          }
          return gap;
        });
  }

  /** One call by the session at {@code index}; answers how many items it got. */
  private interface Call {
    Future<Integer> on(int index, BenchClient c);
  }

  private record Measured(Latency latency, long calls, double statements, long items) {
    double statementsEach() {
      return Latency.round(statements / calls);
    }

    double itemsEach() {
      return Latency.round((double) items / calls);
    }

    JsonObject toJson() {
      return new JsonObject().put("calls", calls).put("p50Ms", latency.ms(50)).put("p99Ms", latency.ms(99))
          .put("mysqlStatementsEach", statementsEach()).put("itemsEach", itemsEach());
    }
  }

  /** Every player's call {@code rounds} times, {@value #IN_FLIGHT} in flight, with the node's statements counted around it. */
  private static Measured measure(BenchRun run, int admin, SessionPool pool, int rounds, Call call, String label) {
    AdminClient a = run.admin();
    double before = Sync.await(a.metric(admin, SQL, null), 10_000);
    Latency latency = new Latency();
    LongAdder items = new LongAdder();
    AtomicInteger next = new AtomicInteger();
    int total = pool.size() * rounds;
    List<Future<Void>> workers = new ArrayList<>();
    try (Progress p = Progress.start(label, () -> String.format("%,d of %,d", latency.count(), total))) {
      for (int w = 0; w < IN_FLIGHT; w++) {
        workers.add(callNext(pool, call, next, total, latency, items));
      }
      Sync.await(Future.all(workers), 600_000);
    }
    double after = Sync.await(a.metric(admin, SQL, null), 10_000);
    return new Measured(latency, latency.count(), after - before, items.sum());
  }

  private static Future<Void> callNext(SessionPool pool, Call call, AtomicInteger next, int total, Latency latency,
                                       LongAdder items) {
    int k = next.getAndIncrement();
    if (k >= total) {
      return Future.succeededFuture();
    }
    long t0 = System.nanoTime();
    int i = k % pool.size();
    return call.on(i, pool.get(i)).compose(n -> {
      latency.recordNanos(System.nanoTime() - t0);
      items.add(n);
      return callNext(pool, call, next, total, latency, items);
    });
  }
}
