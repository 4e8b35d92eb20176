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
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.ext.web.codec.BodyCodec;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code grants}: claimed attachments delivered by webhook. One node sends its grants to a receiver
 * in the benchmark's own process ({@link GrantReceiver}: checks the signature, applies each
 * {@code grantId} once). N players each get one mail with an attachment and claim it over
 * WebSocket; measured: grants delivered per second (distinct grants at the receiver over the time
 * from the first claim to the last arrival), and claim reply → receiver latency p50/p99; checked:
 * every claimed grant arrived, repeats counted. Baseline in the same run: a bare loop of signed
 * POSTs of one grant each, from this process to the same receiver, as many in flight as the
 * node's webhook lanes.
 */
public final class GrantsScenario implements Scenario {
  /** Requests a node's webhook sender has out at once (its lanes); the baseline keeps as many in flight. */
  private static final int LANES = 4;
  private static final int UIDS_PER_SEND = 500;
  private static final long DELIVERY_WAIT_MS = 60_000;
  /** After the last claimed grant arrived: time for a repeat to show. */
  private static final long REPEAT_GRACE_MS = 1000;
  private static final long POST_TIMEOUT_MS = 10_000;

  @Override
  public String name() {
    return "grants";
  }

  @Override
  public Report run(BenchRun run) {
    BenchOptions o = run.options();
    Report report = new Report(name());
    if (o.reuseCluster()) {
      return report.skip("needs a node the benchmark starts: its webhook must point at the benchmark's receiver "
          + "(nodes given with --target keep their own grants.delivery)");
    }
    int players = o.clientsOr(3000, 40);
    int inFlight = Math.min(players, o.smoke() ? 4 : 32);
    byte[] raw = new byte[24];
    new SecureRandom().nextBytes(raw);
    String secret = HexFormat.of().formatHex(raw);
    Progress.say(String.format("grants: %,d players, one mail with an attachment each, claims %d in flight; "
        + "baseline %,d signed POSTs of one grant, %d in flight", players, inFlight, players, LANES));
    Delivery node;
    JsonObject bare;
    GrantReceiver.Ledger bareLedger;
    try (GrantReceiver receiver = GrantReceiver.start(run.vertx(), secret)) {
      Map<String, String> env = Map.of("RAVEN_GRANTS_DELIVERY", "webhook", "RAVEN_GRANTS_WEBHOOK_URL", receiver.url(),
          "RAVEN_GRANTS_WEBHOOK_SECRET", secret);
      try (NodeSet nodes = NodeSet.open(run, name(), 1, List.of(), env)) {
        int admin = nodes.get(0).adminPort();
        AdminClient.Answer probe = Sync.await(run.admin().sendMail(admin, SendScenario.mail(
            new JsonArray().add(run.uids(1)), "bench-grants-probe")), 30_000);
        if (AdminClient.featureMissing(probe)) {
          return report.skip("mail feature not available (POST /admin/mail answered " + probe.status() + " "
              + probe.errorCode() + ")");
        }
        try (SessionPool pool = SessionPool.open(run, "grants players", nodes.get(0).wsPort(), players, p -> { })) {
          node = deliver(run, admin, pool, receiver, inFlight, "bench-grants-" + run.runId());
        }
        node.unacknowledged = unacknowledged(run, admin);
        String dead = nodes.deaths();
        if (dead != null) {
          report.note(dead);
        }
      }
      bare = barePosts(run, receiver, secret, node.ledger.sample, players);
      bareLedger = receiver.swap();
    }
    return describe(report, players, inFlight, node, bare, bareLedger);
  }

  /** What the node's webhook delivered for the claims of one phase. */
  private static final class Delivery {
    GrantReceiver.Ledger ledger;
    final Latency claim = new Latency();
    final Latency toLedger = new Latency();
    final Map<String, LongAdder> claimErrors = new ConcurrentHashMap<>();
    int mails;
    long claimed;
    long missing;
    long unexpected;
    long beforeReply;
    double seconds;
    double claimSeconds;
    Double unacknowledged;
  }

  /** Sends each player one mail, claims them all, waits for the receiver to have every claimed grant. */
  private static Delivery deliver(BenchRun run, int admin, SessionPool pool, GrantReceiver receiver, int inFlight,
                                  String title) {
    Delivery d = new Delivery();
    String[] grantIds = new String[pool.size()];
    long[] mailIds = new long[pool.size()];
    d.mails = send(run, admin, pool, title, grantIds, mailIds);
    receiver.swap(); // the ledger starts with the claims
    AtomicLongArray repliedAt = new AtomicLongArray(pool.size());
    AtomicInteger next = new AtomicInteger();
    long t0 = System.nanoTime();
    List<Future<Void>> workers = new ArrayList<>();
    try (Progress p = Progress.start("grants: claiming", () -> String.format("%,d claims answered, %,d grants "
        + "received", d.claim.count(), receiver.current().firstSeen.size()))) {
      for (int w = 0; w < inFlight; w++) {
        Promise<Void> done = Promise.promise();
        claimNext(pool, grantIds, mailIds, next, repliedAt, d, done);
        workers.add(done.future());
      }
      Sync.await(Future.join(workers), 120_000 + pool.size() * 100L);
      d.claimed = d.claim.count();
      d.claimSeconds = (System.nanoTime() - t0) / 1e9;
      long until = System.currentTimeMillis() + DELIVERY_WAIT_MS;
      while (System.currentTimeMillis() < until && !allArrived(receiver.current(), grantIds, repliedAt)) {
        Sync.sleep(20);
      }
      Sync.sleep(REPEAT_GRACE_MS);
    }
    d.ledger = receiver.swap();
    long last = d.ledger.lastArrivalNanos();
    d.seconds = last > t0 ? (last - t0) / 1e9 : Double.NaN;
    Set<String> claimedIds = new HashSet<>();
    for (int i = 0; i < grantIds.length; i++) {
      long replied = repliedAt.get(i);
      if (replied == 0) {
        continue;
      }
      claimedIds.add(grantIds[i]);
      Long at = d.ledger.firstSeen.get(grantIds[i]);
      if (at == null) {
        d.missing++;
      } else {
        if (at < replied) {
          d.beforeReply++;
        }
        d.toLedger.recordNanos(Math.max(0, at - replied));
      }
    }
    d.unexpected = d.ledger.firstSeen.keySet().stream().filter(id -> !claimedIds.contains(id)).count();
    return d;
  }

  private static boolean allArrived(GrantReceiver.Ledger l, String[] grantIds, AtomicLongArray repliedAt) {
    for (int i = 0; i < grantIds.length; i++) {
      if (repliedAt.get(i) != 0 && !l.firstSeen.containsKey(grantIds[i])) {
        return false;
      }
    }
    return true;
  }

  /** One personal mail with an attachment to every open session, {@value #UIDS_PER_SEND} uids a POST. */
  private static int send(BenchRun run, int admin, SessionPool pool, String title, String[] grantIds,
                          long[] mailIds) {
    int[] sent = {0};
    try (Progress p = Progress.start("grants: sending", () -> String.format("%,d mails stored", sent[0]))) {
      for (int from = 0; from < pool.size(); from += UIDS_PER_SEND) {
        int to = Math.min(pool.size(), from + UIDS_PER_SEND);
        List<Integer> index = new ArrayList<>();
        JsonArray uids = new JsonArray();
        for (int i = from; i < to; i++) {
          BenchClient c = pool.get(i);
          if (c != null) {
            index.add(i);
            uids.add(c.uid);
          }
        }
        if (uids.isEmpty()) {
          continue;
        }
        AdminClient.Answer a = Sync.await(run.admin().sendMail(admin, SendScenario.mail(uids, title)), 60_000);
        JsonArray ids = a.json().getJsonArray("mailIds");
        if (a.status() / 100 != 2 || ids == null || ids.size() != uids.size()) {
          throw new IllegalStateException("POST /admin/mail answered " + a.status() + " " + a.errorCode());
        }
        for (int k = 0; k < index.size(); k++) {
          int i = index.get(k);
          mailIds[i] = Long.parseLong(String.valueOf(ids.getValue(k)));
          grantIds[i] = pool.get(i).uid + "-" + mailIds[i];
          sent[0]++;
        }
      }
    }
    return sent[0];
  }

  private static void claimNext(SessionPool pool, String[] grantIds, long[] mailIds, AtomicInteger next,
                                AtomicLongArray repliedAt, Delivery d, Promise<Void> done) {
    int i = next.getAndIncrement();
    while (i < grantIds.length && grantIds[i] == null) {
      i = next.getAndIncrement();
    }
    if (i >= grantIds.length) {
      done.tryComplete();
      return;
    }
    int index = i;
    long t0 = System.nanoTime();
    pool.get(index).call("mail.claim", new JsonObject().put("mailId", mailIds[index])).onComplete(ar -> {
      long at = System.nanoTime();
      if (ar.succeeded()) {
        repliedAt.set(index, at);
        d.claim.recordNanos(at - t0);
      } else {
        d.claimErrors.computeIfAbsent(BenchClient.codeOf(ar.cause()), k -> new LongAdder()).increment();
      }
      claimNext(pool, grantIds, mailIds, next, repliedAt, d, done);
    });
  }

  /** {@code queues.grantsUnacknowledged} of {@code GET /admin/stats}, or null when it cannot be read. */
  private static Double unacknowledged(BenchRun run, int admin) {
    try {
      JsonObject q = Sync.await(run.admin().get(admin, "/admin/stats"), 10_000).json().getJsonObject("queues");
      Object v = q == null ? null : q.getValue("grantsUnacknowledged");
      return v instanceof Number n ? n.doubleValue() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * {@code count} POSTs of one signed grant each ({@code sample} with its id varied, so the body has
   * the size of a delivered one), {@value #LANES} in flight, over one Vert.x WebClient.
   */
  private static JsonObject barePosts(BenchRun run, GrantReceiver receiver, String secret, JsonObject sample,
                                      int count) {
    JsonObject template = sample != null ? sample : new JsonObject().put("grantId", "8000000000000000000-1")
        .put("uid", 8_000_000_000_000_000_000L).put("mailId", 1L)
        .put("attachments", new JsonArray().add(new JsonObject().put("type", "currency").put("id", "gold")
            .put("amount", 1))).put("grantedAt", System.currentTimeMillis());
    long uid = Long.parseLong(String.valueOf(template.getValue("uid")));
    long mailId = Long.parseLong(String.valueOf(template.getValue("mailId")));
    WebClient client = WebClient.create(run.vertx(), new WebClientOptions().setKeepAlive(true)
        .setUserAgent("Ravenpost-Grants"));
    Latency post = new Latency();
    LongAdder failed = new LongAdder();
    AtomicInteger next = new AtomicInteger();
    receiver.swap();
    long t0 = System.nanoTime();
    List<Future<Void>> workers = new ArrayList<>();
    try (Progress p = Progress.start("grants: bare POST baseline", () -> String.format("%,d of %,d POSTs",
        post.count(), count))) {
      for (int w = 0; w < Math.min(LANES, count); w++) {
        Promise<Void> done = Promise.promise();
        postNext(client, receiver, template, uid, mailId, count, next, post, failed, done);
        workers.add(done.future());
      }
      Sync.await(Future.join(workers), 120_000 + count * 100L);
    } finally {
      client.close();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new JsonObject().put("posts", post.count()).put("failed", failed.sum())
        .put("seconds", Latency.round(seconds)).put("postsPerSecond", Latency.round(post.count() / seconds))
        .put("inFlight", LANES).put("post", post.toJson())
        .put("bodyBytes", body(template, uid, mailId).length());
  }

  private static String body(JsonObject template, long uid, long mailId) {
    JsonObject g = template.copy().put("grantId", uid + "-" + mailId).put("mailId", mailId);
    return new JsonObject().put("grants", new JsonArray().add(g)).encode();
  }

  private static void postNext(WebClient client, GrantReceiver receiver, JsonObject template, long uid, long mailId,
                               int count, AtomicInteger next, Latency post, LongAdder failed, Promise<Void> done) {
    int k = next.getAndIncrement();
    if (k >= count) {
      done.tryComplete();
      return;
    }
    String body = body(template, uid, mailId + k);
    long t0 = System.nanoTime();
    client.postAbs(receiver.url()).as(BodyCodec.none()).timeout(POST_TIMEOUT_MS)
        .putHeader("content-type", "application/json")
        .putHeader("Ravenpost-Signature", receiver.sign(System.currentTimeMillis() / 1000, body))
        .sendBuffer(Buffer.buffer(body)).onComplete(ar -> {
          if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
            post.recordNanos(System.nanoTime() - t0);
          } else {
            failed.increment();
          }
          postNext(client, receiver, template, uid, mailId, count, next, post, failed, done);
        });
  }

  private static Report describe(Report report, int players, int inFlight, Delivery d, JsonObject bare,
                                 GrantReceiver.Ledger bareLedger) {
    GrantReceiver.Ledger l = d.ledger;
    int delivered = l.firstSeen.size();
    double deliveredPerS = delivered / d.seconds;
    double postsPerS = bare.getDouble("postsPerSecond");
    Double ratio = postsPerS > 0 && !Double.isNaN(deliveredPerS) ? deliveredPerS / postsPerS : null;
    double perRequest = l.requests.sum() == 0 ? Double.NaN : (double) l.arrivals.sum() / l.requests.sum();
    JsonObject errors = new JsonObject();
    new TreeMap<>(d.claimErrors).forEach((k, v) -> errors.put(k, v.sum()));
    report.figures.put("players", players).put("mails", d.mails).put("claimsInFlight", inFlight)
        .put("claimed", d.claimed).put("claimErrors", errors).put("claim", d.claim.toJson())
        .put("claimSeconds", Latency.round(d.claimSeconds))
        .put("delivered", delivered).put("missing", d.missing).put("unexpected", d.unexpected)
        .put("seconds", Latency.round(d.seconds)).put("deliveredPerSecond", Latency.round(deliveredPerS))
        .put("claimToLedger", d.toLedger.toJson()).put("arrivedBeforeClaimReply", d.beforeReply)
        .put("grantsPerRequest", Double.isNaN(perRequest) ? null : Latency.round(perRequest))
        .put("receiver", l.toJson()).put("grantsUnacknowledgedAfter", d.unacknowledged)
        .put("shareOfBarePost", ratio == null ? null : Latency.round(ratio));
    report.baseline.put("barePost", bare.copy().put("receiver", bareLedger.toJson()));
    JsonObject bp = bare.getJsonObject("post");
    Table t = new Table(String.format("%,d grants (%,d players, one mail each), claims %d in flight; bare POSTs %d "
        + "in flight", d.mails, players, inFlight, LANES), "per second", "p50 ms", "p99 ms");
    t.row("webhook delivery: claim reply -> receiver ledger", deliveredPerS, d.toLedger.ms(50), d.toLedger.ms(99));
    t.row("bare signed POST, 1 grant each (baseline)", postsPerS, bp.getDouble("p50Ms"), bp.getDouble("p99Ms"));
    t.row("ratio delivered/s / bare POST/s", ratio, "", "");
    t.row("mail.claim reply (claims/s)", d.claimed / d.claimSeconds, d.claim.ms(50), d.claim.ms(99));
    report.table(t);
    Table c = new Table("delivery check", "grants");
    c.row("claimed (claim answered ok)", d.claimed);
    c.row("claim errors", errors.isEmpty() ? "0" : errors.encode());
    c.row("claimed and at the receiver", d.claimed - d.missing);
    c.row("claimed, missing at the receiver", d.missing);
    c.row("repeats received (applied once)", l.repeats.sum());
    c.row("at the receiver but not claimed", d.unexpected);
    c.row("webhook requests / grants per request", String.format("%,d / %s", l.requests.sum(),
        Double.isNaN(perRequest) ? "n/a" : String.format("%.2f", perRequest)));
    c.row("refused: bad signature / bad body", l.badSignatures.sum() + " / " + l.badBodies.sum());
    c.row("unacknowledged on the node after", d.unacknowledged == null ? "n/a" : String.format("%.0f",
        d.unacknowledged));
    report.table(c);
    report.goal(Goal.atMost("claimed grants missing at the receiver", (double) d.missing, 0, "grants"));
    if (d.missing > 0 || d.claimed == 0) {
      report.note(d.missing + " of " + d.claimed + " claimed grants did not arrive within "
          + DELIVERY_WAIT_MS / 1000 + " s");
    } else if (l.repeats.sum() == 0) {
      report.note("every claimed grant arrived exactly once");
    } else {
      report.note("every claimed grant arrived; " + l.repeats.sum() + " repeats received, each applied once");
    }
    report.note("delivered/s counts distinct grants from the first claim sent to the last grant received, so it "
        + "cannot exceed the claim rate; the node batches grants (up to grants.batch a request), the baseline "
        + "sends one per request");
    if (d.beforeReply > 0) {
      report.note(d.beforeReply + " grants reached the receiver before their claim's reply was read (counted as 0 ms)");
    }
    if (bare.getLong("failed") > 0) {
      report.note(bare.getLong("failed") + " bare POSTs failed");
    }
    return report;
  }
}
