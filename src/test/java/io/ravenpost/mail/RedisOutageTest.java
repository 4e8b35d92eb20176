package io.ravenpost.mail;

import static io.ravenpost.mail.global.GlobalTesting.globalMail;
import static io.ravenpost.mail.global.GlobalTesting.target;
import static io.ravenpost.mail.global.GlobalTesting.token;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.mail.global.GlobalTesting;
import io.ravenpost.mail.global.store.GlobalKeys;
import io.ravenpost.node.RavenNode;
import io.ravenpost.online.Entry;
import io.ravenpost.online.OnlineState;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.PrivateRedis;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Redis dies (SIGKILL) and comes back empty. While it is down, logins are refused with a code that
 * says retry and health says so; once it is back, the nodes put their sessions back, one account
 * still has one session, pushes find their player, and global mail (whose cache and queue went
 * with Redis) still reaches players, by login and by the queue workers.
 */
class RedisOutageTest {
  @Test
  void aRedisThatDiesAndComesBackEmptyIsHealedWithoutLosingSessionsOrMail() {
    try (PrivateRedis redis = new PrivateRedis();
         Scratch db = new Scratch();
         // A lease long enough that a Redis restart of about a second does not fence the nodes.
         TestCluster cluster = TestCluster.start(1, db.overrides(new JsonObject()
             .put("redis", new JsonObject().put("uri", redis.uri()))
             .put("online", new JsonObject().put("leaseMs", 10_000).put("renewMs", 1000))))) {
      RavenNode n0 = cluster.node(0);
      // n1 renews its lease rarely, so it is likely still unaware that Redis lost it when a player
      // logs in on it after the restart: that session must count as live all the same.
      RavenNode n1 = cluster.addNode(new JsonObject()
          .put("online", new JsonObject().put("renewMs", 5000).put("leaseMs", 15_000)));
      long dayAgo = System.currentTimeMillis() / 1000 - 86_400;
      long a = TestEnv.randomUid();
      long c = a + 1;
      long d = a + 2;
      long queued = a + 3;
      db.seedUsers(queued, 1, dayAgo);
      TestClient first = GlobalTesting.login(n0, token(a, dayAgo));
      String sessionA = Await.result(registry(n1).lookup(a)).sessionId();

      redis.kill();

      TestClient refused = TestClient.ws(n1.wsPort());
      long t0 = System.currentTimeMillis();
      assertThat(refused.errorOf("auth.login", new JsonObject().put("token", token(c, dayAgo))))
          .isEqualTo(ErrorCode.UNAVAILABLE);
      assertThat(System.currentTimeMillis() - t0).as("refused promptly, not hung").isLessThan(10_000);
      assertThat(health(n0)).isEqualTo(503);

      redis.start();

      Poll.until("the owning node put a's entry back", 20_000, () -> {
        Entry e = Await.result(registry(n1).lookup(a).recover(t -> io.vertx.core.Future.succeededFuture()));
        return e != null && e.sessionId().equals(sessionA);
      });
      Poll.until("health is back to 200", 10_000, () -> health(n0) == 200);

      TestClient second = GlobalTesting.login(n1, token(a, dayAgo));
      JsonObject kicked = first.nextPush("session.kicked", 5000);
      assertThat(kicked).as("one account, one session, after the outage too").isNotNull();
      assertThat(kicked.getJsonObject("body").getString("reason")).isEqualTo("LOGIN_ELSEWHERE");
      MailTesting.sendOne(n0, a, "after the outage");
      JsonObject push = second.nextPush("mail.new", 5000);
      assertThat(push).isNotNull();
      assertThat(push.getJsonObject("body").getJsonObject("mail").getString("title")).isEqualTo("after the outage");

      long global = GlobalTesting.send(n0, globalMail(target("all"), "compensation after the outage"));
      TestClient late = GlobalTesting.login(n1, token(d, dayAgo));
      assertThat(late.callSync("mail.unread", new JsonObject()).getLong("unread")).isEqualTo(1);
      enqueue(redis, cluster.redisPrefix(), queued);
      Poll.until("a queue worker (its blocking connection broke with Redis) serves a queued player", 20_000,
          () -> db.count("SELECT COUNT(*) FROM mailbox WHERE uid = ? AND global_id = ?", queued, global) == 1);

      assertThat(metric(n0, "raven_online_lease_lost_total")).as("n0 saw its lease gone").isGreaterThanOrEqualTo(1);
      assertThat(metric(n1, "raven_gate_replies_total\\{.*result=\"UNAVAILABLE\".*\\}")).isGreaterThanOrEqualTo(1);
      List.of(first, refused, second, late).forEach(TestClient::close);
    }
  }

  private static OnlineState registry(RavenNode node) {
    return node.online();
  }

  /** The value of the first /metrics sample whose name (and labels) match {@code pattern}. */
  private static double metric(RavenNode node, String pattern) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^" + pattern + "\\S*\\s+(\\S+)$")
        .matcher(MailTesting.text(node, "/metrics"));
    return m.find() ? Double.parseDouble(m.group(1)) : -1;
  }

  private static int health(RavenNode node) {
    return MailTesting.http(node, "GET", "/health", null, null, Map.of()).status();
  }

  private static void enqueue(PrivateRedis redis, String prefix, long uid) {
    Redis client = Redis.createClient(TestClient.vertx(), redis.uri());
    try {
      Await.result(RedisAPI.api(client).eval(List.of(GlobalKeys.ENQUEUE, "2", prefix + "gmail:queue",
          prefix + "gmail:wake", Long.toString(System.currentTimeMillis()), Long.toString(uid))));
    } finally {
      client.close();
    }
  }
}
