package io.ravenpost.mail.global;

import static io.ravenpost.mail.MailTesting.eventually;
import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.MailTesting.op;
import static io.ravenpost.mail.MailTesting.opSync;
import static io.ravenpost.mail.global.GlobalTesting.globalMail;
import static io.ravenpost.mail.global.GlobalTesting.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.mail.global.TestRedis;
import io.ravenpost.mail.global.store.GlobalKeys;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Transaction;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Global mail on a two-node cluster with real MariaDB and Redis: racing logins and reads never
 * duplicate a copy, segment and online targets reach exactly their players, retraction stops
 * delivery even for a distribution in progress, lost Redis keys are repaired, producers'
 * idempotency and the operators' routes. Each test asserts on its own mails only (global mail of
 * one test reaches the players of the others).
 */
class GlobalMailTest {
  static Scratch db;
  static TestCluster cluster;
  static TestRedis redis;
  static long dayAgo;

  @BeforeAll
  static void start() {
    db = new Scratch();
    // Logins only queue (no inline catch-up), so workers and reads race for the same players.
    cluster = TestCluster.start(2, db.overrides(new JsonObject()
        .put("scheduler", new JsonObject().put("globalRepairMs", 24L * 3600 * 1000))
        .put("global", new JsonObject().put("loginCatchUpMs", 0).put("workerBatch", 8))));
    redis = new TestRedis(cluster.redisPrefix());
    dayAgo = System.currentTimeMillis() / 1000 - 86_400;
  }

  @AfterAll
  static void stop() {
    redis.close();
    cluster.close();
    db.close();
  }

  private static RavenNode node(int i) {
    return cluster.node(i);
  }

  private static List<Long> players(int n) {
    long base = TestEnv.randomUid();
    db.seedUsers(base, n, dayAgo);
    return LongStream.range(base, base + n).boxed().toList();
  }

  /** Distribute-on-read for each player, from alternating nodes. */
  private static void readAll(List<Long> uids) {
    List<Future<JsonObject>> reads = new ArrayList<>();
    for (int i = 0; i < uids.size(); i++) {
      reads.add(op(node(i % 2), uids.get(i), "mail.unread", new JsonObject()));
    }
    Await.result(Future.all(reads), 30_000);
  }

  private static void awaitQueueDrained() {
    eventually("login queue and in-flight set empty", 20_000,
        () -> redis.zcard("gmail:queue") == 0 && redis.zcard("gmail:inflight") == 0);
  }

  @Test
  void racingLoginsOnTwoNodesRepeatedLoginsAndReadsNeverDuplicateACopy() {
    List<Long> uids = players(24);
    long all = GlobalTesting.send(node(0), globalMail(target("all"), "race all"));
    long toDate = GlobalTesting.send(node(1), globalMail(target("all_to_date"), "race to date"));
    long zone1 = GlobalTesting.send(node(0), globalMail(target("segment").put("zone", "z1"), "race zone"));

    List<Future<?>> work = new ArrayList<>();
    List<TestClient> clients = new ArrayList<>();
    for (Long uid : uids) {
      String token = GlobalTesting.token(uid, dayAgo);
      for (int round = 0; round < 2; round++) {
        for (int n = 0; n < 2; n++) {
          work.add(GlobalTesting.loginAsync(node(n), token).onSuccess(c -> {
            synchronized (clients) {
              clients.add(c);
            }
          }).recover(t -> Future.succeededFuture()));
          work.add(op(node(n), uid, "mail.list", new JsonObject()));
          work.add(op(node(1 - n), uid, "mail.unread", new JsonObject()));
        }
      }
    }
    Await.result(Future.join(work).recover(t -> Future.succeededFuture()), 60_000);
    for (Future<?> f : work) {
      if (f.failed()) {
        throw new AssertionError("a login or read failed", f.cause());
      }
    }
    awaitQueueDrained();
    readAll(uids);

    Set<Long> inZone1 = uids.stream().filter(u -> u % 4 == 1).collect(Collectors.toSet());
    assertThat(db.copies(all, uids)).allSatisfy((u, n) -> assertThat(n).as("uid %d", u).isEqualTo(1));
    assertThat(db.copies(toDate, uids)).allSatisfy((u, n) -> assertThat(n).as("uid %d", u).isEqualTo(1));
    assertThat(db.copies(zone1, uids)).allSatisfy((u, n) -> assertThat(n).as("uid %d", u)
        .isEqualTo(inZone1.contains(u) ? 1 : 0));
    for (Long uid : uids) {
      JsonArray mails = opSync(node(0), uid, "mail.list", new JsonObject().put("limit", 100)).getJsonArray("mails");
      List<Long> ids = mails.stream().map(m -> ((JsonObject) m).getLong("mailId")).toList();
      assertThat(ids).doesNotHaveDuplicates();
      assertThat(mails.stream().filter(m -> ((JsonObject) m).getString("title").startsWith("race")).count())
          .isEqualTo(inZone1.contains(uid) ? 3 : 2);
    }
    clients.forEach(TestClient::close);
  }

  @Test
  void segmentAndOnlineTargetsReachExactlyTheirPlayers() {
    List<Long> uids = players(200);
    JsonObject segment = target("segment").put("zone", "z2").put("minLevel", 10).put("maxLevel", 30)
        .put("tags", new JsonArray().add("vip"));
    long expectedInDb = db.rows("SELECT uid, zone, level, tags FROM users").stream()
        .filter(r -> "z2".equals(r.getString("zone")) && r.getInteger("level") >= 10 && r.getInteger("level") <= 30
            && List.of(String.valueOf(r.getString("tags")).split(",")).contains("vip"))
        .count();
    Reply preview = http(node(1), "POST", "/admin/global-mail/preview", TestTokens.admin(),
        new JsonObject().put("target", segment), Map.of());
    assertThat(preview.status()).isEqualTo(200);
    assertThat(preview.body().getLong("matches")).isEqualTo(expectedInDb);

    long seg = GlobalTesting.send(node(0), globalMail(segment, "segment vip z2 10-30"));
    readAll(uids);
    Map<Long, Long> copies = db.copies(seg, uids);
    for (Long u : uids) {
      boolean match = u % 4 == 2 && u % 50 >= 10 && u % 50 <= 30 && u % 10 == 0;
      assertThat(copies.get(u)).as("uid %d (zone z%d level %d)", u, u % 4, u % 50).isEqualTo(match ? 1 : 0);
    }
    assertThat(copies.values().stream().mapToLong(Long::longValue).sum()).isPositive();

    List<Long> online = uids.subList(0, 10);
    List<Long> offline = uids.subList(10, 20);
    List<TestClient> clients = new ArrayList<>();
    for (int i = 0; i < online.size(); i++) {
      clients.add(GlobalTesting.login(node(i % 2), GlobalTesting.token(online.get(i), dayAgo)));
    }
    long on = GlobalTesting.send(node(1), globalMail(target("online"), "online now"));
    GlobalTesting.awaitSent(node(1), on);
    // Players online at the send are told first; their copies are written right after, in the background.
    Poll.until("a copy for every player online at the send", 15_000,
        () -> db.copies(on, online).values().stream().allMatch(n -> n >= 1));
    assertThat(db.copies(on, online)).as("exactly one copy each")
        .allSatisfy((u, n) -> assertThat(n).as("uid %d", u).isEqualTo(1));
    for (TestClient c : clients) {
      JsonObject push = c.nextPush("mail.new", 5000);
      while (push != null
          && !"online now".equals(push.getJsonObject("body").getJsonObject("mail").getString("title"))) {
        push = c.nextPush("mail.new", 5000);
      }
      assertThat(push).as("mail.new push of the online mail").isNotNull();
      assertThat(push.getJsonObject("body").getJsonObject("mail").getString("kind")).isEqualTo("global");
    }
    for (Long u : offline) {
      TestClient c = GlobalTesting.login(node(0), GlobalTesting.token(u, dayAgo));
      c.callSync("mail.list", new JsonObject());
      c.close();
    }
    awaitQueueDrained();
    assertThat(db.copies(on, offline)).as("offline players never get an online mail")
        .allSatisfy((u, n) -> assertThat(n).as("uid %d", u).isZero());
    clients.forEach(TestClient::close);
  }

  @Test
  void noDeliveryAfterDeleteReturnsEvenForADistributionInProgress() throws Exception {
    List<Long> uids = players(15);
    List<Long> early = uids.subList(0, 10);
    // Fewer than a node's MySQL pool: the DELETE must still get a connection on either node.
    List<Long> waiting = uids.subList(10, 14);
    long stuck = uids.get(14);
    long g = GlobalTesting.send(node(0), globalMail(target("all"), "retract me"));
    readAll(early);
    long claimedMail = db.rows("SELECT id FROM mailbox WHERE uid = ? AND global_id = ?", early.get(0), g)
        .get(0).getLong(0);
    opSync(node(1), early.get(0), "mail.claim", new JsonObject().put("mailId", claimedMail));

    // Four players' distributions wait on their cursor rows (before the guard) ...
    SqlConnection cursors = Await.result(db.pool.getConnection());
    Transaction cursorTx = Await.result(cursors.begin());
    for (Long u : waiting) {
      Await.result(cursors.preparedQuery("INSERT INTO global_mail_cursor (uid, last_id, updated_at) VALUES (?, 0, 0) "
          + "ON DUPLICATE KEY UPDATE updated_at = 0").execute(Tuple.of(u)));
    }
    // ... and one has passed the guard and waits to insert its copy (our uncommitted row holds its key).
    SqlConnection copyLock = Await.result(db.pool.getConnection());
    Transaction copyTx = Await.result(copyLock.begin());
    Await.result(copyLock.preparedQuery("INSERT INTO mailbox (uid, kind, sender, title, body, global_id, created_at, "
        + "expires_at) VALUES (?, 'global', 'x', 'x', 'x', ?, 0, 0)").execute(Tuple.of(stuck, g)));
    List<Future<JsonObject>> inProgress = new ArrayList<>();
    waiting.forEach(u -> inProgress.add(op(node(1), u, "mail.unread", new JsonObject())));
    Future<JsonObject> stuckRead = op(node(0), stuck, "mail.unread", new JsonObject());
    eventually("distributions waiting on their cursors", 10_000,
        () -> running("INSERT INTO global_mail_cursor%") == waiting.size());
    eventually("the stuck distribution holds the guard and waits to insert", 10_000,
        () -> running("INSERT INTO mailbox%") == 1);

    Future<Reply> delete = TestClient.vertx().executeBlocking(() -> http(node(1), "DELETE", "/admin/global-mail/" + g,
        TestTokens.admin(), null, Map.of()));
    eventually("DELETE waiting for the guard", 10_000, () -> running("UPDATE global_mail SET deleted_at%") == 1);
    assertThat(delete.isComplete()).as("DELETE waits for the distribution that passed the guard").isFalse();
    Await.result(copyTx.rollback());
    copyLock.close();
    Reply deleted = Await.result(delete, 30_000);
    assertThat(deleted.status()).isEqualTo(204);
    Await.result(stuckRead);

    Await.result(cursorTx.commit());
    cursors.close();
    Await.result(Future.all(inProgress), 30_000);
    readAll(uids);
    awaitQueueDrained();

    assertThat(db.copies(g, waiting)).as("distributions that reached the guard after the DELETE")
        .allSatisfy((u, n) -> assertThat(n).as("uid %d", u).isZero());
    assertThat(db.copies(g, List.of(stuck)).get(stuck)).as("the copy committed before the DELETE").isEqualTo(1);
    assertThat(db.liveCopies(g, uids)).as("only the claimed copy stays").isEqualTo(1);
    assertThat(db.rows("SELECT deleted_at, claimed_at FROM mailbox WHERE id = ?", claimedMail).get(0)
        .getLong("deleted_at")).isNull();
    assertThat(redis.members("gmail:ids")).doesNotContain(Long.toString(g));
    long ttl = Await.result(redis.api.ttl(redis.key("gmail:body:" + g))).toLong();
    assertThat(ttl).isBetween(1L, 1800L);
    assertThat(http(node(0), "DELETE", "/admin/global-mail/" + g, TestTokens.admin(), null, Map.of()).status())
        .as("deleting twice").isEqualTo(204);
    assertThat(http(node(0), "DELETE", "/admin/global-mail/" + (g + 1_000_000), TestTokens.admin(), null, Map.of())
        .status()).isEqualTo(404);
  }

  @Test
  void lostRedisKeysAreRepairedWithNothingMissingAndNothingDuplicated() {
    List<Long> uids = players(20);
    List<Long> first = uids.subList(0, 10);
    List<Long> second = uids.subList(10, 20);
    long m1 = GlobalTesting.send(node(0), globalMail(target("all"), "repair one"));
    long m2 = GlobalTesting.send(node(1), globalMail(target("all_to_date"), "repair two"));
    readAll(first);

    assertThat(redis.deleteAll()).isPositive();
    long m3 = GlobalTesting.send(node(0), globalMail(target("all"), "repair three"));
    assertThat(redis.members("gmail:ids")).as("a ZSET re-created by a create is not marked complete")
        .doesNotContain(GlobalKeys.COMPLETE);
    readAll(second);
    readAll(first);
    for (long m : List.of(m1, m2, m3)) {
      assertThat(db.copies(m, uids)).as("mail %d while Redis was incomplete", m)
          .allSatisfy((u, n) -> assertThat(n).as("uid %d", u).isEqualTo(1));
    }

    GlobalTesting.runJob(node(1), "global-repair");
    List<String> members = redis.members("gmail:ids");
    assertThat(members).contains(GlobalKeys.COMPLETE, Long.toString(m1), Long.toString(m2), Long.toString(m3));
    for (long m : List.of(m1, m2, m3)) {
      assertThat(redis.exists("gmail:body:" + m)).as("body of %d", m).isTrue();
    }
    long m4 = GlobalTesting.send(node(1), globalMail(target("all"), "repair four"));
    readAll(uids);
    for (long m : List.of(m1, m2, m3, m4)) {
      assertThat(db.copies(m, uids)).as("mail %d after the repair", m)
          .allSatisfy((u, n) -> assertThat(n).as("uid %d", u).isEqualTo(1));
    }
  }

  @Test
  void producersRetryWithAnIdempotencyKeyAndOperatorsSeeDeliveryCounts() {
    List<Long> uids = players(5);
    JsonObject body = globalMail(target("all"), "idempotent " + uids.get(0));
    Map<String, String> key = Map.of("Idempotency-Key", "global-" + uids.get(0));
    Reply first = http(node(0), "POST", "/internal/mail", TestTokens.service(), body, key);
    Reply again = http(node(1), "POST", "/internal/mail", TestTokens.service(), body, key);
    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(201);
    long g = first.body().getLong("globalMailId");
    assertThat(again.body().getLong("globalMailId")).isEqualTo(g);
    assertThat(http(node(0), "POST", "/internal/mail", TestTokens.service(), body.copy().put("title", "other"), key)
        .status()).isEqualTo(422);
    assertThat(db.count("SELECT COUNT(*) FROM global_mail WHERE title = ?", body.getString("title"))).isEqualTo(1);

    readAll(uids);
    JsonObject mail = findInPages(g);
    assertThat(mail.getJsonObject("target")).isEqualTo(target("all"));
    assertThat(mail.getLong("delivered")).isEqualTo(5);
    assertThat(mail.getLong("claimed")).isZero();
    assertThat(mail.getBoolean("hasAttachments")).isTrue();
    assertThat(mail.getValue("deletedAt")).isNull();

    for (JsonObject bad : List.of(target("segment"), target("segment").put("minLevel", 5).put("maxLevel", 1),
        target("segment").put("tags", new JsonArray().add("a,b")), target("everyone"))) {
      Reply r = http(node(0), "POST", "/admin/mail", TestTokens.admin(), globalMail(bad, "bad"), Map.of());
      assertThat(r.status()).as(bad.encode()).isEqualTo(400);
      assertThat(r.code()).isEqualTo("BAD_REQUEST");
    }
    assertThat(http(node(0), "POST", "/admin/global-mail/preview", TestTokens.admin(),
        new JsonObject().put("target", target("users")), Map.of()).status()).isEqualTo(400);
    assertThat(http(node(0), "GET", "/admin/global-mail", TestTokens.service(), null, Map.of()).status())
        .isEqualTo(403);
  }

  @Test
  void anOnlineCopyIsOneNewChangeWhenAPlayersReadRacesTheWriter() {
    List<Long> uids = players(20);
    List<TestClient> clients = new ArrayList<>();
    for (int i = 0; i < uids.size(); i++) {
      clients.add(GlobalTesting.login(node(i % 2), GlobalTesting.token(uids.get(i), dayAgo)));
    }
    long g = GlobalTesting.send(node(0), globalMail(target("online"), "raced"));
    // Every player reads at once: a read that comes before the background writer writes that
    // player's copy itself, and the writer then finds it there.
    Await.result(Future.all(clients.stream().map(c -> c.call("mail.list", new JsonObject().put("limit", 100)))
        .toList()));
    Poll.until("the online send's writers finished", 30_000, () -> db.count(
        "SELECT COUNT(*) FROM global_online_recipients WHERE global_id = ? AND done_at IS NULL", g) == 0);
    assertThat(db.copies(g, uids)).allSatisfy((u, n) -> assertThat(n).as("copies of uid %d", u).isEqualTo(1));
    for (long uid : uids) {
      assertThat(db.count("SELECT COUNT(*) FROM mail_feed f JOIN mailbox m ON m.uid = f.uid AND m.id = f.mail_id "
          + "WHERE f.uid = ? AND m.global_id = ? AND f.type = 'new'", uid, g))
          .as("new entries in uid %d's feed for its one copy", uid).isEqualTo(1);
    }
    Await.result(Future.all(clients.stream().map(TestClient::close).toList()));
    // Their logins queued them for the distributor: done before another test counts deliveries.
    awaitQueueDrained();
  }

  @Test
  void aFutureStartsAtStaysHiddenUntilThen() {
    long uid = players(1).get(0);
    // Far enough ahead that the login and the first list come before it even on a loaded box.
    long startsAt = System.currentTimeMillis() + 5000;
    long g = GlobalTesting.send(node(0), globalMail(target("all"), "later").put("startsAt", startsAt));
    TestClient c = GlobalTesting.login(node(1), GlobalTesting.token(uid, dayAgo));
    JsonArray now = c.callSync("mail.list", new JsonObject().put("limit", 100)).getJsonArray("mails");
    assertThat(System.currentTimeMillis()).as("listed before its startsAt").isLessThan(startsAt);
    assertThat(now.stream().map(m -> ((JsonObject) m).getString("title"))).doesNotContain("later");
    assertThat(db.copies(g, List.of(uid)).get(uid)).as("distributed, not visible yet").isEqualTo(1);
    // An online player is told when it opens (the opening job, once per second, on one node).
    JsonObject opened = c.nextPush("mail.new", 10_000);
    // Global mail other tests sent to everyone reaches this new player too; this one is "later".
    while (opened != null && !"later".equals(opened.getJsonObject("body").getJsonObject("mail").getString("title"))) {
      opened = c.nextPush("mail.new", 10_000);
    }
    assertThat(opened).as("mail.new pushed when the global mail's startsAt passed").isNotNull();
    assertThat(System.currentTimeMillis()).isGreaterThanOrEqualTo(startsAt);
    assertThat(c.callSync("mail.list", new JsonObject().put("limit", 100)).getJsonArray("mails").stream()
        .anyMatch(m -> "later".equals(((JsonObject) m).getString("title")))).as("listed once opened").isTrue();
    c.close();
  }

  /** Statements of this database's connections running now (our own user's threads are visible to us). */
  private static long running(String like) {
    return db.count("SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE DB = ? AND INFO LIKE ?", db.name, like);
  }

  private static JsonObject findInPages(long globalMailId) {
    String cursor = null;
    for (int page = 0; page < 50; page++) {
      Reply r = http(node(1), "GET", "/admin/global-mail?limit=3" + (cursor == null ? "" : "&cursor=" + cursor),
          TestTokens.admin(), null, Map.of());
      assertThat(r.status()).isEqualTo(200);
      for (Object o : r.body().getJsonArray("mails")) {
        if (((JsonObject) o).getLong("globalMailId") == globalMailId) {
          return (JsonObject) o;
        }
      }
      cursor = r.body().getString("nextCursor");
      if (cursor == null) {
        break;
      }
    }
    throw new AssertionError("global mail " + globalMailId + " not listed");
  }
}
