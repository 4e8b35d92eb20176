package io.ravenpost.mail;

import static io.ravenpost.mail.MailTesting.gold;
import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.MailTesting.opSync;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.mail.global.GlobalTesting;
import io.ravenpost.mail.global.TestRedis;
import io.ravenpost.mail.global.store.GlobalKeys;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code GET /admin/stats} shows an operator how much work is waiting, cluster-wide. */
class QueueDepthStatsTest {
  @Test
  void statsCountQueuedPlayersAndUnacknowledgedGrants() {
    // No workers, so queued players stay queued; a database of its own, so the grant count is ours.
    try (Scratch db = new Scratch();
         TestCluster cluster = TestCluster.start(1, db.overrides(new JsonObject()
             .put("global", new JsonObject().put("workers", 0).put("loginCatchUpMs", 10_000))));
         TestRedis redis = new TestRedis(cluster.redisPrefix())) {
      RavenNode node = cluster.node(0);
      assertThat(queues(node)).isEqualTo(new JsonObject().put("globalQueued", 0L).put("globalInFlight", 0L)
          .put("grantsUnacknowledged", 0L));

      long base = TestEnv.randomUid();
      List<String> enqueue = new ArrayList<>(List.of(GlobalKeys.ENQUEUE, "2", cluster.redisPrefix() + "gmail:queue",
          cluster.redisPrefix() + "gmail:wake", Long.toString(System.currentTimeMillis())));
      for (int i = 0; i < 5; i++) {
        enqueue.add(Long.toString(base + i));
      }
      Await.result(redis.api.eval(enqueue));

      // Nobody consumes raven.reward.grant here, so every claimed grant stays unacknowledged.
      long uid = base + 100;
      for (int i = 0; i < 3; i++) {
        long mailId = MailTesting.sendOne(node, uid, "reward " + i, gold(10));
        opSync(node, uid, "mail.claim", MailTesting.id(mailId));
      }

      // A login whose own catch-up finished leaves nothing for a worker: it is not queued.
      TestClient player = GlobalTesting.login(node, GlobalTesting.token(base + 200, System.currentTimeMillis() / 1000));
      player.close();

      JsonObject q = queues(node);
      assertThat(q.getLong("globalQueued")).isEqualTo(5);
      assertThat(q.getLong("globalInFlight")).isZero();
      assertThat(q.getLong("grantsUnacknowledged")).isEqualTo(3);
      // The gauge counts when scraped (a scrape shows what the previous one's count found).
      Poll.until("raven_mail_outbox_backlog 3 on /metrics", 10_000,
          () -> TestHttp.get(node.adminPort(), "/metrics", null).body().lines()
              .anyMatch(l -> l.matches("raven_mail_outbox_backlog(\\{.*})? 3\\.0")));
    }
  }

  private static JsonObject queues(RavenNode node) {
    MailTesting.Reply r = http(node, "GET", "/admin/stats", TestTokens.admin(), null, Map.of());
    assertThat(r.status()).isEqualTo(200);
    return r.body().getJsonObject("queues");
  }
}
