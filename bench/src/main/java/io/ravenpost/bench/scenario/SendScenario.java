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
import io.ravenpost.bench.node.NodeSet;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code send}: the common case of a game server rewarding an achievement: one POST per mail, to one
 * online player, many POSTs in flight, while every player claims each mail on arrival. Mails stored
 * per second (2xx answers), pushed per second ({@code mail.new} seen), POST p50/p99 and claim p50/p99
 * under that load. Baseline: the same rows written with raw multi-row INSERTs into a copy of the
 * mailbox table, in the same run.
 */
public final class SendScenario implements Scenario {
  static final double GOAL_SHARE_OF_BASELINE = 0.1;
  static final double GOAL_POST_P99_MS = 250;
  static final double GOAL_CLAIM_P99_MS = 100;
  private static final int UIDS_PER_MAIL = 1;
  private static final long DRAIN_MS = 10_000;

  @Override
  public String name() {
    return "send";
  }

  @Override
  public Report run(BenchRun run) {
    BenchOptions o = run.options();
    int players = o.clientsOr(200, 5);
    int seconds = o.durationOr(20, 2);
    int senders = o.smoke() ? 2 : 64;
    Report report = new Report(name());
    String prefix = "bench-send-" + run.runId();
    Latency claim = new Latency();
    LongAdder pushed = new LongAdder();
    Map<String, LongAdder> claimErrors = new ConcurrentHashMap<>();
    SessionPool[] holder = new SessionPool[1];
    long firstUid;
    JsonObject sent;
    try (NodeSet nodes = NodeSet.open(run, name(), 1)) {
      int port = nodes.get(0).adminPort();
      // A mail to a player who never logs in: tells whether the route exists before the players connect.
      AdminClient.Answer probe = Sync.await(run.admin().sendMail(port, mail(new JsonArray().add(run.uids(1)),
          prefix + "-probe")), 30_000);
      if (AdminClient.featureMissing(probe)) {
        return report.skip("mail feature not available (POST /admin/mail answered " + probe.status() + " "
            + probe.errorCode() + ")");
      }
      try (SessionPool pool = SessionPool.open(run, "send players", nodes.get(0).wsPort(), players, ix -> {
        JsonObject mail = ix.push().body().getJsonObject("mail");
        if ("mail.new".equals(ix.push().op()) && mail != null && mail.getString("title", "").startsWith(prefix)) {
          pushed.increment();
          claim(holder[0].get(ix.index()), mail.getValue("mailId"), claim, claimErrors);
        }
      })) {
        holder[0] = pool;
        firstUid = pool.get(0) == null ? 0 : pool.get(0).uid;
        sent = sendFor(run, port, pool, prefix, seconds, senders, pushed);
        awaitClaims(claim, claimErrors, pushed.sum());
      }
      String dead = nodes.deaths();
      if (dead != null) {
        report.note(dead);
      }
    }
    long stored = sent.getLong("stored");
    JsonObject base = MailTable.rawInsert(run, MailTable.discover(run.sql()), firstUid, firstUid + players);
    report.baseline.put("rawInsert", base);
    JsonObject errors = new JsonObject();
    new TreeMap<>(claimErrors).forEach((k, v) -> errors.put(k, v.sum()));
    return describe(report, players, seconds, sent, pushed.sum(), claim, errors, stored, base);
  }

  /** Lets the claims still in flight finish before the sessions close (bounded). */
  private static void awaitClaims(Latency claim, Map<String, LongAdder> errors, long expected) {
    long until = System.currentTimeMillis() + DRAIN_MS;
    while (System.currentTimeMillis() < until
        && claim.count() + errors.values().stream().mapToLong(LongAdder::sum).sum() < expected) {
      Sync.sleep(50);
    }
  }

  private static void claim(BenchClient c, Object mailId, Latency claim, Map<String, LongAdder> errors) {
    if (c == null || mailId == null) {
      return;
    }
    long t0 = System.nanoTime();
    c.call("mail.claim", new JsonObject().put("mailId", mailId))
        .onSuccess(b -> claim.recordNanos(System.nanoTime() - t0))
        .onFailure(t -> errors.computeIfAbsent(BenchClient.codeOf(t), k -> new LongAdder()).increment());
  }

  /** {@code senders} loops of POST /admin/mail, each to the next player, for {@code seconds}. */
  private static JsonObject sendFor(BenchRun run, int port, SessionPool pool, String prefix, int seconds,
                                    int senders, LongAdder pushed) {
    AtomicLong stored = new AtomicLong();
    AtomicLong posts = new AtomicLong();
    LongAdder failed = new LongAdder();
    Latency post = new Latency();
    AtomicBoolean stop = new AtomicBoolean();
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    long t0 = System.nanoTime();
    Promise<Void>[] done = newPromises(senders);
    try (Progress p = Progress.start("send", () -> String.format("%,d mails stored, %,d pushed", stored.get(),
        pushed.sum()))) {
      for (int s = 0; s < senders; s++) {
        sendNext(run, port, pool, prefix, deadline, stop, stored, posts, failed, post, done[s]);
      }
      for (Promise<Void> d : done) {
        Sync.await(d.future(), seconds * 1000L + 60_000);
      }
      double storeSeconds = (System.nanoTime() - t0) / 1e9;
      long drainUntil = System.currentTimeMillis() + DRAIN_MS;
      while (pushed.sum() < stored.get() && System.currentTimeMillis() < drainUntil) {
        Sync.sleep(50);
      }
      double pushSeconds = (System.nanoTime() - t0) / 1e9;
      return new JsonObject().put("stored", stored.get()).put("posts", posts.get()).put("failedPosts", failed.sum())
          .put("storeSeconds", Latency.round(storeSeconds)).put("pushSeconds", Latency.round(pushSeconds))
          .put("post", post.toJson());
    } finally {
      stop.set(true);
    }
  }

  @SuppressWarnings("unchecked")
  private static Promise<Void>[] newPromises(int n) {
    Promise<Void>[] a = new Promise[n];
    for (int i = 0; i < n; i++) {
      a[i] = Promise.promise();
    }
    return a;
  }

  private static void sendNext(BenchRun run, int port, SessionPool pool, String prefix, long deadline,
                               AtomicBoolean stop, AtomicLong stored, AtomicLong posts, LongAdder failed,
                               Latency post, Promise<Void> done) {
    if (stop.get() || System.nanoTime() >= deadline) {
      done.tryComplete();
      return;
    }
    long k = posts.getAndIncrement();
    JsonArray uids = new JsonArray();
    for (int i = 0; i < UIDS_PER_MAIL; i++) {
      BenchClient c = pool.get((int) ((k * UIDS_PER_MAIL + i) % pool.size()));
      if (c != null) {
        uids.add(c.uid);
      }
    }
    long t0 = System.nanoTime();
    run.admin().sendMail(port, mail(uids, prefix + "-" + k)).onComplete(ar -> {
      if (ar.succeeded() && ar.result().status() / 100 == 2) {
        post.recordNanos(System.nanoTime() - t0);
        JsonArray ids = ar.result().json().getJsonArray("mailIds", new JsonArray());
        stored.addAndGet(ids.isEmpty() ? uids.size() : ids.size());
      } else {
        failed.increment();
      }
      sendNext(run, port, pool, prefix, deadline, stop, stored, posts, failed, post, done);
    });
  }

  static JsonObject mail(JsonArray uids, String title) {
    return new JsonObject().put("target", new JsonObject().put("type", "users").put("uids", uids))
        .put("title", title).put("body", "benchmark mail with an attachment")
        .put("attachments", new JsonArray().add(new JsonObject().put("type", "currency").put("id", "gold")
            .put("amount", 1)));
  }

  private static Report describe(Report report, int players, int seconds, JsonObject sent, long pushed,
                                 Latency claim, JsonObject claimErrors, long stored, JsonObject base) {
    double storedPerS = stored / sent.getDouble("storeSeconds");
    double pushedPerS = pushed / sent.getDouble("pushSeconds");
    Double baseRate = base.getBoolean("available", false) ? base.getDouble("rowsPerSecond") : null;
    Double share = baseRate == null ? null : storedPerS / baseRate;
    report.figures.put("players", players).put("seconds", seconds).put("sent", sent).put("pushed", pushed)
        .put("storedPerSecond", Latency.round(storedPerS)).put("pushedPerSecond", Latency.round(pushedPerS))
        .put("claim", claim.toJson()).put("claimErrors", claimErrors).put("shareOfBaseline", share);
    Table t = new Table(players + " players, " + seconds + " s, one recipient per POST", "Ravenpost",
        "raw multi-row INSERT");
    t.row("mails stored/s (rows/s)", storedPerS, baseRate);
    t.row("mails pushed/s", pushedPerS, "");
    t.row("POST /admin/mail p50 / p99 ms", fmt(sent.getJsonObject("post")), "");
    t.row("mail.claim p50 / p99 ms", String.format("%.2f / %.2f", claim.ms(50), claim.ms(99)), "");
    t.row("claim errors", claimErrors.isEmpty() ? "0" : claimErrors.encode(), "");
    report.table(t);
    report.goal(Goal.atLeast("stored/s share of raw INSERT rows/s", share, GOAL_SHARE_OF_BASELINE, "x"));
    // No answered POST measures nothing: a p99 of 0 ms must not read as met.
    Double postP99 = sent.getLong("stored") == 0 ? null : sent.getJsonObject("post").getDouble("p99Ms");
    report.goal(Goal.atMost("POST p99", postP99, GOAL_POST_P99_MS, "ms"));
    report.goal(Goal.atMost("claim p99 under load", claim.count() == 0 ? null : claim.ms(99), GOAL_CLAIM_P99_MS,
        "ms"));
    if (baseRate == null) {
      report.note("raw INSERT baseline not measured: " + base.getString("why"));
    }
    return report;
  }

  private static String fmt(JsonObject latency) {
    return String.format("%.2f / %.2f", latency.getDouble("p50Ms"), latency.getDouble("p99Ms"));
  }
}
