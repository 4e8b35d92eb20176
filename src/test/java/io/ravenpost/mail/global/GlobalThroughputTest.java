package io.ravenpost.mail.global;

import static io.ravenpost.mail.MailTesting.eventually;
import static io.ravenpost.mail.global.GlobalTesting.globalMail;
import static io.ravenpost.mail.global.GlobalTesting.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.mail.global.TestRedis;
import io.ravenpost.mail.global.store.GlobalKeys;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Volume: create latency of an {@code all_to_date} mail with few and with many registered players,
 * and how many players per second the workers serve from the login queue (printed, not asserted:
 * wall time on a shared machine says little; {@link GlobalMailCostTest} asserts the constant cost
 * by counting requests). Asserted: every queued player gets every mail, none twice. Sizes are small for CI;
 * for a measurement raise them with {@code -Dglobal.measure.registered=1000000}
 * ({@code .small}, {@code .creates}, {@code .players}, {@code .mails}, {@code .workers} per node,
 * {@code .pool} MySQL connections per node). The players live in a scratch database that is
 * dropped at the end.
 */
class GlobalThroughputTest {
  private static final int SMALL = Integer.getInteger("global.measure.small", 10_000);
  private static final int REGISTERED = Integer.getInteger("global.measure.registered", 20_000);
  private static final int CREATES = Integer.getInteger("global.measure.creates", 10);
  private static final int PLAYERS = Integer.getInteger("global.measure.players", 400);
  private static final int MAILS = Integer.getInteger("global.measure.mails", 3);

  @Test
  void createCostsTheSameWithManyMoreRegisteredPlayersAndWorkersServeTheQueue() {
    try (Scratch db = new Scratch();
         TestCluster cluster = TestCluster.start(1, db.overrides(new JsonObject()
             .put("mysql", new JsonObject().put("poolSize", Integer.getInteger("global.measure.pool", 8)))
             .put("global", new JsonObject().put("workers", Integer.getInteger("global.measure.workers", 2))
                 .put("workerBatch", 64))));
         TestRedis redis = new TestRedis(cluster.redisPrefix())) {
      RavenNode node = cluster.node(0);
      long base = TestEnv.randomUid();
      long dayAgo = System.currentTimeMillis() / 1000 - 86_400;
      long seed0 = System.nanoTime();
      db.seedUsers(base, SMALL, dayAgo);
      creates(node, "warm-up");
      double[] small = creates(node, "small");
      db.seedUsers(base + SMALL, REGISTERED - SMALL, dayAgo);
      double seedSeconds = (System.nanoTime() - seed0) / 1e9;
      double[] big = creates(node, "big");
      System.out.printf("global create, %,d registered: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n", SMALL,
          small[0], small[1], small[2]);
      System.out.printf("global create, %,d registered: p50 %.2f ms, p99 %.2f ms, max %.2f ms (seeded in %.1f s)%n",
          REGISTERED, big[0], big[1], big[2], seedSeconds);

      List<Long> mails = new ArrayList<>();
      for (int i = 0; i < MAILS; i++) {
        mails.add(GlobalTesting.send(node, globalMail(target(i % 2 == 0 ? "all" : "all_to_date"), "volume " + i)));
      }
      // Warm the ZSET's completeness (a fresh Redis prefix has none until the first repair).
      GlobalTesting.runJob(node, "global-repair");
      long copiesBefore = db.count("SELECT COUNT(*) FROM mailbox");
      List<String> args = new ArrayList<>(List.of(GlobalKeys.ENQUEUE, "2", cluster.redisPrefix() + "gmail:queue",
          cluster.redisPrefix() + "gmail:wake", Long.toString(System.currentTimeMillis())));
      for (int i = 0; i < PLAYERS; i++) {
        args.add(Long.toString(base + (long) i * (REGISTERED / PLAYERS)));
      }
      long t0 = System.nanoTime();
      Await.result(redis.api.eval(args));
      int eligible = 3 * CREATES + MAILS;
      long expected = copiesBefore + (long) PLAYERS * eligible;
      eventually("every queued player served", 600_000,
          () -> redis.zcard("gmail:queue") == 0 && redis.zcard("gmail:inflight") == 0
              && db.count("SELECT COUNT(*) FROM mailbox") == expected);
      double seconds = (System.nanoTime() - t0) / 1e9;
      System.out.printf("global distribution: %,d players x %d mails in %.2f s = %,.0f players/s, %,.0f copies/s%n",
          PLAYERS, eligible, seconds, PLAYERS / seconds, (double) PLAYERS * eligible / seconds);
      assertThat(db.count("SELECT COUNT(*) FROM (SELECT uid, global_id FROM mailbox GROUP BY uid, global_id "
          + "HAVING COUNT(*) > 1) d")).isZero();
    }
  }

  /** {@link #CREATES} creates one after another: p50, p99, max in ms. */
  private static double[] creates(RavenNode node, String label) {
    double[] ms = new double[CREATES];
    for (int i = 0; i < CREATES; i++) {
      long t0 = System.nanoTime();
      GlobalTesting.send(node, globalMail(target("all_to_date"), "latency " + label + " " + i));
      ms[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(ms);
    node.context().metrics().find("raven_global_create_seconds").timers().forEach(t -> System.out.printf(
        "global create inside the node (%s, cumulative): mean %.2f ms, max %.2f ms over %d%n", label,
        t.mean(java.util.concurrent.TimeUnit.MILLISECONDS), t.max(java.util.concurrent.TimeUnit.MILLISECONDS),
        t.count()));
    return new double[] {ms[(int) Math.floor(0.5 * (CREATES - 1))], ms[(int) Math.ceil(0.99 * (CREATES - 1))],
        ms[CREATES - 1]};
  }
}
