package io.ravenpost.bench.scenario.logincost;

import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Sync;
import io.ravenpost.bench.load.AdminClient;
import io.ravenpost.bench.load.OpenLoginLoop;
import io.ravenpost.bench.node.CpuMeter;
import io.ravenpost.bench.node.BenchNode;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live global mail that the measured players already have: {@code n} "all to date" mails created
 * through {@code POST /admin/mail}, then every player logs in once (the login's catch-up and the
 * node's workers copy the mail), and the scenario waits until each player's distribution cursor
 * passed the newest mail; players whose login failed log in again (a few rounds at most). A
 * later login then copies nothing, but still has to find that out.
 */
final class GlobalBacklog {
  private static final long CREATE_TIMEOUT_MS = 30_000;
  private static final long DELIVERY_TIMEOUT_MS = 300_000;
  private static final long POLL_MS = 500;
  private static final long RETRY_AFTER_MS = 10_000;
  private static final double DELIVERY_RATE = 25;
  private static final int ROUNDS = 5;

  private GlobalBacklog() {
  }

  /** Creates the mails and delivers them to {@code tokens}' players, uids {@code [firstUid, firstUid + players)}. */
  static void createAndDeliver(BenchRun run, ScratchDatabase db, BenchNode node, int n, String[] tokens,
                               long firstUid) {
    AtomicInteger created = new AtomicInteger();
    try (Progress p = Progress.start("logincost: creating global mails", () -> created.get() + " of " + n)) {
      for (int i = 0; i < n; i++) {
        JsonObject mail = new JsonObject().put("target", new JsonObject().put("type", "all_to_date"))
            .put("title", "bench-logincost-" + run.runId() + "-" + i).put("body", "benchmark global mail " + i);
        AdminClient.Answer a = Sync.await(run.admin().sendMail(node.adminPort(), mail), CREATE_TIMEOUT_MS);
        if (a.status() / 100 != 2) {
          throw new IllegalStateException("global mail create answered " + a.status() + ": " + a.body());
        }
        created.incrementAndGet();
      }
    }
    long newest = db.count("SELECT COALESCE(MAX(id), 0) FROM global_mail", Tuple.tuple());
    String[] behind = tokens;
    for (int round = 1; behind.length > 0; round++) {
      if (round > ROUNDS) {
        throw new IllegalStateException("global mail reached " + (tokens.length - behind.length) + " of "
            + tokens.length + " players in " + ROUNDS + " rounds of logins");
      }
      // Each login copies the whole backlog: a modest pace, so the copies do not starve the login's own statements.
      String label = "logincost: delivering global mail at login, round " + round;
      OpenLoginLoop once = new OpenLoginLoop().run(run.vertx(), run.load(), node, behind, DELIVERY_RATE,
          (behind.length + 0.5) / DELIVERY_RATE, label, CpuMeter.of(List.of(node)));
      awaitCursors(db, firstUid, tokens.length, newest, once.failed.sum() + once.notStarted.sum() == 0);
      Set<Long> done = upToDate(db, firstUid, tokens.length, newest);
      List<String> again = new ArrayList<>();
      for (int i = 0; i < tokens.length; i++) {
        if (!done.contains(firstUid + i)) {
          again.add(tokens[i]);
        }
      }
      behind = again.toArray(String[]::new);
    }
  }

  private static Set<Long> upToDate(ScratchDatabase db, long firstUid, int players, long newest) {
    Set<Long> done = new HashSet<>();
    Sync.await(db.pool().preparedQuery("SELECT uid FROM global_mail_cursor WHERE uid >= ? AND uid < ? AND last_id >= ?")
        .execute(Tuple.of(firstUid, firstUid + players, newest)), 60_000).forEach(r -> done.add(r.getLong(0)));
    return done;
  }

  /**
   * Waits until every player's cursor passed {@code newest} (the node's workers finish what a
   * login's catch-up left), at most {@code DELIVERY_TIMEOUT_MS}, or only briefly when some logins
   * failed (their players are logged in again).
   */
  private static void awaitCursors(ScratchDatabase db, long firstUid, int players, long newest, boolean allLoggedIn) {
    String sql = "SELECT COUNT(*) FROM global_mail_cursor WHERE uid >= ? AND uid < ? AND last_id >= ?";
    Tuple args = Tuple.of(firstUid, firstUid + players, newest);
    long deadline = System.currentTimeMillis() + (allLoggedIn ? DELIVERY_TIMEOUT_MS : RETRY_AFTER_MS);
    AtomicInteger done = new AtomicInteger();
    try (Progress p = Progress.start("logincost: waiting for delivery", () -> String.format(
        "%,d of %,d players have every global mail", done.get(), players))) {
      while (true) {
        done.set((int) db.count(sql, args));
        if (done.get() >= players) {
          return;
        }
        if (System.currentTimeMillis() > deadline) {
          return;
        }
        Sync.sleep(POLL_MS);
      }
    }
  }
}
