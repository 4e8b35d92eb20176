package io.ravenpost.mail;

import static io.ravenpost.mail.MailTesting.eventually;
import static io.ravenpost.mail.MailTesting.gold;
import static io.ravenpost.mail.MailTesting.mail;
import static io.ravenpost.mail.MailTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.mail.MailTesting.GrantSink;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Volume on a two-node cluster: many multi-recipient sends at once, pushed to players online on
 * both nodes, then every player claiming everything. Checks that nothing is lost and prints the
 * figures (send throughput, claim latency). Sizes are small for CI; raise them for a measurement
 * with {@code -Dmail.measure.sends=.. -Dmail.measure.recipients=.. -Dmail.measure.online=..}
 * ({@code -Dmail.measure.pool=..} sets the MySQL pool size per node).
 */
class MailThroughputTest {
  private static final int SENDS = Integer.getInteger("mail.measure.sends", 10);
  private static final int RECIPIENTS = Integer.getInteger("mail.measure.recipients", 200);
  private static final int ONLINE = Integer.getInteger("mail.measure.online", 40);

  @Test
  void manySendsArePushedToOnlinePlayersOnBothNodesAndClaimedOnce() {
    try (TestCluster cluster = TestCluster.start(2, new JsonObject()
        .put("gate", new JsonObject().put("opsBurst", 10_000).put("opsPerSecond", 10_000))
        .put("mysql", new JsonObject().put("poolSize", Integer.getInteger("mail.measure.pool", 8))));
         GrantSink grants = new GrantSink(cluster.node(0))) {
      List<Long> online = IntStream.range(0, ONLINE).mapToObj(i -> TestEnv.randomUid()).toList();
      List<TestClient> clients = new ArrayList<>();
      List<Future<JsonObject>> logins = new ArrayList<>();
      for (int i = 0; i < ONLINE; i++) {
        TestClient c = Await.result(TestClient.connect(cluster.node(i % 2).wsPort(), TestClient.Mode.WS_JSON));
        clients.add(c);
        logins.add(c.login(TestTokens.player(online.get(i))));
      }
      Await.result(Future.all(logins), 30_000);
      long[] targets = new long[RECIPIENTS];
      for (int i = 0; i < RECIPIENTS; i++) {
        targets[i] = i < ONLINE ? online.get(i) : TestEnv.randomUid();
      }

      long t0 = System.nanoTime();
      List<Future<?>> sends = new ArrayList<>();
      for (int s = 0; s < SENDS; s++) {
        JsonObject body = mail(users(targets), "wave " + s).put("attachments", new JsonArray().add(gold(1)));
        sends.add(cluster.node(s % 2).context().vertx().eventBus()
            .request(MailAddresses.ADMIN_SEND.address(), body, new DeliveryOptions().setSendTimeout(60_000)));
      }
      Await.result(Future.all(sends), 120_000);
      double storedSeconds = (System.nanoTime() - t0) / 1e9;
      for (TestClient c : clients) {
        for (int s = 0; s < SENDS; s++) {
          assertThat(c.nextPush("mail.new", 30_000)).as("push %d", s).isNotNull();
        }
      }
      double pushedSeconds = (System.nanoTime() - t0) / 1e9;
      int mails = SENDS * RECIPIENTS;

      ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
      List<Future<?>> claimers = new ArrayList<>();
      for (TestClient c : clients) {
        claimers.add(claimEverything(c, null, latencies));
      }
      Await.result(Future.all(claimers), 120_000);
      List<Long> sorted = new ArrayList<>(latencies);
      Collections.sort(sorted);
      assertThat(sorted).hasSize(ONLINE * SENDS);
      // The shared test database may hold other runs' grants: count this test's players only.
      eventually("every claim's grant is published", 30_000,
          () -> online.stream().mapToLong(u -> grants.forUid(u).size()).sum() == (long) ONLINE * SENDS);
      Set<String> ours = online.stream().flatMap(u -> grants.forUid(u).stream())
          .map(g -> g.getString("grantId")).collect(Collectors.toSet());
      assertThat(ours).hasSize(ONLINE * SENDS).allSatisfy(id -> assertThat(grants.byGrantId.get(id)).isEqualTo(1));

      System.out.printf("MEASURE send: %d mails (%d calls x %d recipients) stored in %.2f s = %.0f mails/s;"
              + " all %d online recipients pushed after %.2f s = %.0f mails/s%n", mails, SENDS, RECIPIENTS,
          storedSeconds, mails / storedSeconds, ONLINE, pushedSeconds, mails / pushedSeconds);
      System.out.printf("MEASURE claim: %d claims by %d players over 2 nodes, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          sorted.size(), ONLINE, pct(sorted, 0.50), pct(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
    }
  }

  /** Lists page by page and claims each mail one at a time, timing every claim. */
  private static Future<Void> claimEverything(TestClient c, String cursor, ConcurrentLinkedQueue<Long> latencies) {
    JsonObject req = new JsonObject().put("limit", 100);
    if (cursor != null) {
      req.put("cursor", cursor);
    }
    return c.call("mail.list", req).compose(page -> {
      Future<Void> chain = Future.succeededFuture();
      for (Object o : page.getJsonArray("mails")) {
        long id = ((JsonObject) o).getLong("mailId");
        chain = chain.compose(v -> {
          long start = System.nanoTime();
          return c.call("mail.claim", new JsonObject().put("mailId", id)).map(r -> {
            latencies.add(System.nanoTime() - start);
            return null;
          });
        });
      }
      String next = page.getString("nextCursor");
      return next == null ? chain : chain.compose(v -> claimEverything(c, next, latencies));
    });
  }

  private static double pct(List<Long> sorted, double p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.floor(p * sorted.size()))) / 1e6;
  }
}
