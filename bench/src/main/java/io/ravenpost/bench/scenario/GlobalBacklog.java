package io.ravenpost.bench.scenario;

import io.ravenpost.bench.BenchRun;
import io.ravenpost.bench.Progress;
import io.ravenpost.bench.Sync;
import io.ravenpost.bench.load.AdminClient;
import io.ravenpost.bench.load.SessionPool;
import io.ravenpost.bench.node.BenchNode;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Tuple;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Live global mail that the measured players already have: {@code n} "all to date" mails created
 * through {@code POST /admin/mail}, then every player logs in once (the login's catch-up and the
 * node's workers copy the mail), and the scenario waits until each player's distribution cursor
 * passed the newest mail. A later login then copies nothing, but still has to find that out.
 */
final class GlobalBacklog {
  private static final long CREATE_TIMEOUT_MS = 30_000;
  private static final long DELIVERY_TIMEOUT_MS = 300_000;
  private static final long POLL_MS = 500;

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
    try (SessionPool once = SessionPool.open(run, "logincost: delivering global mail at login", node.wsPort(),
        tokens, ix -> { })) {
      if (once.failed.sum() > 0) {
        throw new IllegalStateException(once.failed.sum() + " of " + tokens.length + " delivery logins failed");
      }
    }
    awaitCursors(db, firstUid, tokens.length, newest);
  }

  private static void awaitCursors(ScratchDatabase db, long firstUid, int players, long newest) {
    String sql = "SELECT COUNT(*) FROM global_mail_cursor WHERE uid >= ? AND uid < ? AND last_id >= ?";
    Tuple args = Tuple.of(firstUid, firstUid + players, newest);
    long deadline = System.currentTimeMillis() + DELIVERY_TIMEOUT_MS;
    AtomicInteger done = new AtomicInteger();
    try (Progress p = Progress.start("logincost: waiting for delivery", () -> String.format(
        "%,d of %,d players have every global mail", done.get(), players))) {
      while (true) {
        done.set((int) db.count(sql, args));
        if (done.get() >= players) {
          return;
        }
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("global mail reached " + done.get() + " of " + players + " players within "
              + DELIVERY_TIMEOUT_MS / 1000 + " s");
        }
        Sync.sleep(POLL_MS);
      }
    }
  }
}
