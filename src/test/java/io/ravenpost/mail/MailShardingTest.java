package io.ravenpost.mail;

import static io.ravenpost.mail.MailTesting.adminSend;
import static io.ravenpost.mail.MailTesting.eventually;
import static io.ravenpost.mail.MailTesting.gold;
import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.MailTesting.id;
import static io.ravenpost.mail.MailTesting.mail;
import static io.ravenpost.mail.MailTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.mail.MailTesting.GrantSink;
import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two databases as two shards: every mailbox, users row and idempotency row lands on its uid's shard. */
class MailShardingTest {
  static TestCluster cluster;
  static RavenNode node;
  static Pool shardA;
  static Pool shardB;

  @BeforeAll
  static void start() {
    assertThat(TestEnv.mysqlUriB()).as("a second test database").isNotEqualTo(TestEnv.mysqlUri());
    cluster = TestCluster.start(1, new JsonObject().put("mysql", new JsonObject()
        .put("shards", new JsonArray().add(TestEnv.mysqlUri()).add(TestEnv.mysqlUriB()))));
    node = cluster.node(0);
    shardA = MailTesting.pool(TestEnv.mysqlUri());
    shardB = MailTesting.pool(TestEnv.mysqlUriB());
  }

  @AfterAll
  static void stop() {
    Await.result(shardA.close());
    Await.result(shardB.close());
    cluster.close();
  }

  /** A random uid on shard {@code shard} (uid mod 2). */
  private static long uidOn(int shard) {
    long u = TestEnv.randomUid();
    return Math.floorMod(u, 2L) == shard ? u : u + 1;
  }

  private static long count(Pool pool, String table, String column, Object value) {
    return Await.result(pool.preparedQuery("SELECT COUNT(*) FROM " + table + " WHERE " + column + " = ?")
        .execute(Tuple.of(value)).map(r -> r.iterator().next().getLong(0)));
  }

  @Test
  void oneSendToPlayersOnBothShardsStoresEachMailOnItsOwnShard() {
    long a = uidOn(0);
    long b = uidOn(1);
    String key = "shards-" + UUID.randomUUID();
    JsonObject body = mail(users(a, b), "split").put("attachments", new JsonArray().add(gold(8)));
    Reply first = http(node, "POST", "/internal/mail", TestTokens.service(), body, Map.of("Idempotency-Key", key));
    assertThat(first.status()).isEqualTo(201);
    assertThat(count(shardA, "mailbox", "uid", a)).isEqualTo(1);
    assertThat(count(shardB, "mailbox", "uid", a)).isZero();
    assertThat(count(shardB, "mailbox", "uid", b)).isEqualTo(1);
    assertThat(count(shardA, "mailbox", "uid", b)).isZero();
    // Keys are kept per producer: the service token's subject is "2".
    assertThat(count(shardA, "mail_idempotency", "idem_key", "2/" + key)).isEqualTo(1);
    assertThat(count(shardB, "mail_idempotency", "idem_key", "2/" + key)).isEqualTo(1);

    Reply replay = http(node, "POST", "/internal/mail", TestTokens.service(), body, Map.of("Idempotency-Key", key));
    assertThat(replay.body()).isEqualTo(first.body());
    assertThat(count(shardB, "mailbox", "uid", b)).isEqualTo(1);

    String keyA = "shard-a-" + UUID.randomUUID();
    assertThat(http(node, "POST", "/internal/mail", TestTokens.service(), mail(users(a), "only a"),
        Map.of("Idempotency-Key", keyA)).status()).isEqualTo(201);
    Reply reused = http(node, "POST", "/internal/mail", TestTokens.service(), mail(users(b), "only b"),
        Map.of("Idempotency-Key", keyA));
    assertThat(reused.status()).as("a key is checked on every shard").isEqualTo(422);
    assertThat(count(shardB, "mailbox", "uid", b)).isEqualTo(1);
  }

  @Test
  void everyOpWorksForPlayersOfEitherShard() {
    try (GrantSink grants = new GrantSink(node)) {
      for (int shard = 0; shard < 2; shard++) {
        long uid = uidOn(shard);
        Pool own = shard == 0 ? shardA : shardB;
        Pool other = shard == 0 ? shardB : shardA;
        TestClient c = TestClient.ws(node.wsPort());
        assertThat(c.loginSync(named(uid)).getLong("unread")).isZero();
        assertThat(count(own, "users", "uid", uid)).isEqualTo(1);
        assertThat(count(other, "users", "uid", uid)).isZero();

        List<Long> ids = adminSend(node, mail(users(uid), "reward").put("attachments", new JsonArray().add(gold(1))));
        long second = adminSend(node, mail(users(uid), "second").put("attachments", new JsonArray().add(gold(2))))
            .get(0);
        assertThat(c.nextPush("mail.new", 5000)).isNotNull();
        assertThat(c.callSync("mail.list", new JsonObject()).getJsonArray("mails")).hasSize(2);
        assertThat(c.callSync("mail.open", id(ids.get(0))).getJsonObject("mail").getBoolean("read")).isTrue();
        assertThat(c.callSync("mail.unread", new JsonObject()).getLong("unread")).isEqualTo(1);
        c.callSync("mail.claim", id(ids.get(0)));
        assertThat(c.callSync("mail.claimAll", new JsonObject()).getJsonArray("claimed"))
            .isEqualTo(new JsonArray().add(second));
        c.callSync("mail.delete", id(ids.get(0)));
        assertThat(c.errorOf("mail.open", id(ids.get(0)))).isEqualTo(ErrorCode.NOT_FOUND);
        eventually("two grants for uid on shard", 5000, () -> grants.forUid(uid).size() == 2);
        assertThat(count(own, "mail_outbox", "uid", uid)).isEqualTo(2);
        assertThat(count(other, "mail_outbox", "uid", uid)).isZero();
      }
    }
  }

  @Test
  void sendByNameFindsAPlayerOnTheOtherShard() {
    long a = uidOn(0);
    long b = uidOn(1);
    TestClient ca = TestClient.ws(node.wsPort());
    ca.loginSync(named(a));
    TestClient cb = TestClient.ws(node.wsPort());
    cb.loginSync(named(b));
    long mailId = ca.callSync("mail.send", new JsonObject().put("to", new JsonObject().put("name", "p-" + b))
        .put("title", "across").put("body", "shards")).getLong("mailId");
    JsonObject got = cb.nextPush("mail.new", 5000).getJsonObject("body").getJsonObject("mail");
    assertThat(got.getLong("mailId")).isEqualTo(mailId);
    assertThat(got.getString("from")).isEqualTo("p-" + a);
    assertThat(count(shardB, "mailbox", "uid", b)).isEqualTo(1);
  }

  private static String named(long uid) {
    return TestTokens.mint(new JsonObject().put("sub", Long.toString(uid)).put("name", "p-" + uid)
        .put("created_at", System.currentTimeMillis() / 1000 - 10));
  }
}
