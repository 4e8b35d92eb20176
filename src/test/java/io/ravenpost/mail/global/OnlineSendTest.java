package io.ravenpost.mail.global;

import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.global.GlobalTesting.globalMail;
import static io.ravenpost.mail.global.GlobalTesting.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.mail.global.GlobalTesting.TestRedis;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * An {@code online} send over a server full of players answers as soon as the mail is stored, so a
 * producer's timeout never turns into a retry that sends it twice; the walk's progress shows in
 * the operators' list, and a retry with the same key gets the same mail.
 */
class OnlineSendTest {
  private static final int ONLINE = 3_000;
  static Scratch db;
  static TestCluster cluster;
  static TestRedis redis;

  @BeforeAll
  static void start() {
    db = new Scratch();
    cluster = TestCluster.start(1, db.overrides(new JsonObject()));
    redis = new TestRedis(cluster.redisPrefix());
  }

  @AfterAll
  static void stop() {
    redis.deleteAll();
    redis.close();
    cluster.close();
    db.close();
  }

  /** Registry entries for players online on this node (no connection behind them: pushes find nobody). */
  private static List<Long> seedOnline(RavenNode node, int n) {
    long base = TestEnv.randomUid();
    List<Request> writes = new ArrayList<>();
    List<Long> uids = new ArrayList<>();
    long now = System.currentTimeMillis() - 60_000;
    for (long uid = base; uid < base + n; uid++) {
      uids.add(uid);
      writes.add(Request.cmd(Command.HSET).arg(cluster.redisPrefix() + "online:{" + Math.floorMod(uid, 1024L) + "}")
          .arg(Long.toString(uid)).arg(node.nodeId() + "|fake" + uid + "|1|" + now));
    }
    Redis client = Redis.createClient(TestClient.vertx(), TestEnv.redisUri());
    try {
      for (int i = 0; i < writes.size(); i += 1000) {
        Await.result(client.batch(writes.subList(i, Math.min(writes.size(), i + 1000))));
      }
    } finally {
      client.close();
    }
    return uids;
  }

  private static JsonObject listed(long id) {
    Reply r = http(cluster.node(0), "GET", "/admin/global-mail?limit=100", TestTokens.admin(), null, Map.of());
    assertThat(r.status()).isEqualTo(200);
    return r.body().getJsonArray("mails").stream().map(o -> (JsonObject) o)
        .filter(m -> m.getLong("globalMailId") == id).findFirst().orElseThrow();
  }

  @Test
  void anOnlineSendAnswersOnceStoredAndItsRetryDeliversOnce() {
    RavenNode node = cluster.node(0);
    List<Long> online = seedOnline(node, ONLINE);
    long real = TestEnv.randomUid();
    TestClient player = TestClient.ws(node.wsPort());
    player.loginSync(TestTokens.player(real));
    JsonObject body = globalMail(target("online"), "online to a full server");
    Map<String, String> key = Map.of("Idempotency-Key", "online-" + Long.toHexString(TestEnv.randomUid()));

    Reply first = http(node, "POST", "/admin/mail", TestTokens.admin(), body, key);
    assertThat(first.status()).as(first.body().encode()).isEqualTo(201);
    long id = first.body().getLong("globalMailId");
    assertThat(listed(id).getValue("sentAt")).as("answered while the walk over %d players still runs", ONLINE)
        .isNull();
    Reply retry = http(node, "POST", "/admin/mail", TestTokens.admin(), body, key);
    assertThat(retry.status()).as(retry.body().encode()).isEqualTo(201);
    assertThat(retry.body().getLong("globalMailId")).isEqualTo(id);

    Poll.until("the walk finished", 120_000, () -> listed(id).getValue("sentAt") != null);
    assertThat(player.nextPush("mail.new", 5000).getJsonObject("body").getJsonObject("mail").getString("title"))
        .isEqualTo("online to a full server");
    assertThat(db.count("SELECT COUNT(*) FROM mailbox WHERE global_id = ?", id)).isEqualTo(ONLINE + 1);
    assertThat(db.count("SELECT COUNT(*) FROM (SELECT uid FROM mailbox WHERE global_id = ? GROUP BY uid "
        + "HAVING COUNT(*) > 1) twice", id)).as("players with two copies").isZero();
    assertThat(listed(id).getLong("delivered")).isEqualTo(ONLINE + 1);
    assertThat(online).hasSize(ONLINE);
  }
}
