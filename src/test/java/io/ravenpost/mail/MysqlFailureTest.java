package io.ravenpost.mail;

import static io.ravenpost.mail.MailTesting.gold;
import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.MailTesting.mail;
import static io.ravenpost.mail.MailTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * MySQL connections die in the middle of sends and claims (every connection of the node is killed
 * at a random moment). A producer that retries with its idempotency key ends with each recipient
 * holding exactly one copy (a send whose connection died under it is written again, or found
 * committed, before it answers); a player who retries a claim is granted exactly once. Failures read as
 * "retry" ({@code UNAVAILABLE}, or {@code IN_FLIGHT} while the first try is still settling), never
 * as {@code INTERNAL}.
 */
class MysqlFailureTest {
  private static final int RECIPIENTS = 300;
  private static final int ROUNDS = 6;

  @Test
  void sendsAndClaimsCutOffByKilledConnectionsEndExactlyOnce() throws Exception {
    try (Scratch db = new Scratch();
         TestCluster cluster = TestCluster.start(1, db.overrides(new JsonObject()))) {
      RavenNode node = cluster.node(0);
      int killedTotal = 0;
      int sendsCutOff = 0;
      for (int round = 0; round < ROUNDS; round++) {
        long base = TestEnv.randomUid();
        long[] uids = LongStream.range(base, base + RECIPIENTS).toArray();
        JsonObject body = mail(users(uids), "round " + round).put("attachments", new JsonArray().add(gold(1)));
        Map<String, String> key = Map.of("Idempotency-Key", "kill-" + round + "-" + base);

        CompletableFuture<Reply> first = CompletableFuture.supplyAsync(
            () -> http(node, "POST", "/internal/mail", TestTokens.service(), body, key));
        Thread.sleep(ThreadLocalRandom.current().nextInt(0, 20));
        // Kill while one of the send's statements is running, if we catch one before it is done.
        double rewrittenBefore = rewritten(node);
        boolean caught = awaitStatement(db, first);
        killedTotal += killConnections(db);
        Reply r = first.join();
        // Cut off: answered "retry", or its part written again after its connection died under it.
        if (caught && (r.status() != 201 || rewritten(node) > rewrittenBefore)) {
          sendsCutOff++;
        }
        for (int attempt = 0; r.status() != 201 && attempt < 50; attempt++) {
          assertThat(r.code()).as(r.body().encode()).isIn("UNAVAILABLE", "IN_FLIGHT");
          Thread.sleep(100);
          r = http(node, "POST", "/internal/mail", TestTokens.service(), body, key);
        }
        assertThat(r.status()).as(r.body().encode()).isEqualTo(201);
        assertThat(r.body().getJsonArray("mailIds")).hasSize(RECIPIENTS);
        assertThat(count(db, "SELECT COUNT(*) FROM mailbox WHERE uid >= ? AND uid < ?", base, base + RECIPIENTS))
            .as("round %d: one copy per recipient", round).isEqualTo(RECIPIENTS);

        long claimer = base;
        long mailId = count(db, "SELECT MIN(id) FROM mailbox WHERE uid = ?", claimer);
        CompletableFuture<String> claim = CompletableFuture.supplyAsync(() -> claimOutcome(node, claimer, mailId));
        Thread.sleep(ThreadLocalRandom.current().nextInt(0, 10));
        killedTotal += killConnections(db);
        String outcome = claim.join();
        for (int attempt = 0; !outcome.equals("ok") && !outcome.equals("ALREADY_CLAIMED") && attempt < 50; attempt++) {
          assertThat(outcome).isEqualTo("UNAVAILABLE");
          Thread.sleep(100);
          outcome = claimOutcome(node, claimer, mailId);
        }
        assertThat(outcome).isIn("ok", "ALREADY_CLAIMED");
        assertThat(count(db, "SELECT COUNT(*) FROM mail_outbox WHERE uid = ? AND mail_id = ?", claimer, mailId))
            .as("round %d: exactly one grant", round).isEqualTo(1);
        assertThat(count(db, "SELECT COUNT(*) FROM mailbox WHERE uid = ? AND claimed_at IS NOT NULL", claimer))
            .isEqualTo(1);
      }
      assertThat(killedTotal).as("connections were really killed").isPositive();
      assertThat(sendsCutOff).as("at least one send was cut off mid-statement").isPositive();
    }
  }

  private static double rewritten(RavenNode node) {
    var c = node.context().metrics().find("raven_mail_send_batch_splits_total").counter();
    return c == null ? 0 : c.count();
  }

  private static String claimOutcome(RavenNode node, long uid, long mailId) {
    try {
      MailTesting.opSync(node, uid, "mail.claim", MailTesting.id(mailId));
      return "ok";
    } catch (io.ravenpost.api.RavenException e) {
      return e.code().name();
    }
  }

  /**
   * A query of the test's own; its pool's connections are killed along with the node's (same user,
   * same database), so a query that meets a dead one is tried again on a fresh one.
   */
  private static long count(Scratch db, String sql, Object... args) {
    return again(() -> db.count(sql, args));
  }

  private static List<Row> rows(Scratch db, String sql, Object... args) {
    return again(() -> db.rows(sql, args));
  }

  private static <T> T again(Supplier<T> query) {
    for (int attempt = 1; ; attempt++) {
      try {
        return query.get();
      } catch (RuntimeException e) {
        if (attempt == 5) {
          throw e;
        }
      }
    }
  }

  /** True once the node runs a statement on the test's database; false if {@code done} completed first. */
  private static boolean awaitStatement(Scratch db, CompletableFuture<?> done) {
    long end = System.currentTimeMillis() + 3000;
    while (!done.isDone() && System.currentTimeMillis() < end) {
      if (count(db, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID() "
          + "AND COMMAND <> 'Sleep'", db.name) > 0) {
        return true;
      }
    }
    return false;
  }

  /** Kills every connection to the test's database (the node's, and idle ones of the test's pool). */
  private static int killConnections(Scratch db) {
    List<Row> victims = rows(db, "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()",
        db.name);
    Set<Long> killed = new HashSet<>();
    for (Row v : victims) {
      try {
        db.execute("KILL CONNECTION " + v.getLong(0));
        killed.add(v.getLong(0));
      } catch (RuntimeException gone) {
        // It closed by itself meanwhile.
      }
    }
    return killed.size();
  }
}
