package io.ravenpost.mail.global;

import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.MailTesting.id;
import static io.ravenpost.mail.MailTesting.mail;
import static io.ravenpost.mail.MailTesting.op;
import static io.ravenpost.mail.MailTesting.opSync;
import static io.ravenpost.mail.MailTesting.users;
import static io.ravenpost.mail.global.GlobalTesting.globalMail;
import static io.ravenpost.mail.global.GlobalTesting.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.mail.MailTesting;
import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.node.RavenNode;
import io.ravenpost.online.Entry;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.LocalRedisCluster;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A Redis Cluster master is killed while players log in, a producer sends (with idempotency keys)
 * and players claim: its replica takes over, and afterwards every account has exactly one
 * session, every acknowledged send and claim is there exactly once, and global mail sent before
 * and after reaches every player exactly once once the repair job has run.
 *
 * <p>During the failover only the dead master's slots are unavailable: players whose registry
 * shard is on another master log in throughout, those on the dead master's are refused
 * {@code UNAVAILABLE} for at most the failover's time plus {@link #CATCH_UP_MS}, and no node fences.
 */
@Tag("own-jvm")
class RedisClusterFailoverTest {
  private static final int PLAYERS = 24;
  private static final long BOUND_MS = 90_000;
  /** Players besides {@link #PLAYERS}, among whom the probes are chosen by where their registry shard lives. */
  private static final int PROBE_CANDIDATES = 48;
  /** How long after the promotion the nodes may still refuse logins of the dead master's slots. */
  private static final long CATCH_UP_MS = 2_000;
  /**
   * Sized by the rule operations.md gives for riding a failover out (leaseMs above 4/3 x (node
   * timeout + 2 s), renewMs at most leaseMs/4): every node has a lease copy in every registry shard,
   * so the dead master holds some of each node's copies, and only a lease longer than the failover
   * keeps a node from fencing.
   */
  private static final JsonObject LEASE = new JsonObject().put("online",
      new JsonObject().put("leaseMs", 10_000).put("renewMs", 2_000));

  private final Map<String, long[]> sent = new ConcurrentHashMap<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final List<TestClient> clients = new ArrayList<>();
  private TestCluster cluster;

  @Test
  void aMasterDiesDuringLoginsSendsAndClaimsAndNothingIsLostOrDoubled() throws Exception {
    long started = System.currentTimeMillis();
    try (LocalRedisCluster redis = LocalRedisCluster.start(); Scratch db = new Scratch()) {
      TestEnv.useRedisCluster(redis);
      try (TestCluster c = TestCluster.start(2, db.overrides(LEASE.copy()))) {
        cluster = c;
        run(redis, db);
      } finally {
        TestEnv.useRedisCluster(null);
        clients.forEach(TestClient::close);
      }
    }
    assertThat(System.currentTimeMillis() - started).as("bounded in time").isLessThan(BOUND_MS);
  }

  private void run(LocalRedisCluster redis, Scratch db) throws Exception {
    assertThat(node(0).context().stores().redisClustered()).isTrue();
    long dayAgo = System.currentTimeMillis() / 1000 - 86_400;
    long base = TestEnv.randomUid();
    db.seedUsers(base, PLAYERS + PROBE_CANDIDATES, dayAgo);
    List<Long> uids = LongStream.range(base, base + PLAYERS).boxed().toList();
    long before = GlobalTesting.send(node(0), globalMail(target("all"), "before failover"));

    CompletableFuture<Void> producer = CompletableFuture.runAsync(() -> produce(uids));
    loginRound(uids, dayAgo, 0);
    Poll.until("sends acknowledged before the failover", 30_000, () -> acknowledged(producer) >= 10);
    // The master of the global mail cache: its last writes may be lost, and the repair job must heal them.
    int victim = redis.masterOf("gmail:{g}:ids");
    List<Long> elsewhere = probes(redis, base + PLAYERS, victim, false);
    List<Long> onVictim = probes(redis, base + PLAYERS, victim, true);
    List<Long> probed = List.of(elsewhere.get(0), onVictim.get(0), elsewhere.get(1), onVictim.get(1));
    double fencedBefore = fences();
    try (FailoverProbe probe = new FailoverProbe(cluster.nodes(), probed, dayAgo)) {
      Poll.until("probe logins answered before the kill", 20_000,
          () -> probed.stream().allMatch(u -> probe.succeededAfter(u, 0)));
      long killedAt = System.currentTimeMillis();
      long[] promotedAt = new long[1];
      int promoted = redis.killMaster(victim, promotedAt);
      long failoverMs = promotedAt[0] - killedAt;
      assertThat(promoted).isNotEqualTo(victim);
      long healedAt = System.currentTimeMillis();
      Poll.until("logins of the dead master's slots taken again", 30_000,
          () -> onVictim.stream().allMatch(u -> probe.succeededAfter(u, healedAt)));
      for (long uid : elsewhere) {
        assertThat(probe.of(uid, killedAt)).as("logins of %d (shard on another master) during the failover", uid)
            .isNotEmpty().allMatch(FailoverProbe.Attempt::ok);
      }
      for (long uid : onVictim) {
        assertThat(probe.refusedFor(uid, killedAt)).as("ms logins of %d (shard on the dead master) were refused, "
            + "failover took %d ms", uid, failoverMs).isLessThanOrEqualTo(failoverMs + CATCH_UP_MS);
      }
    }
    assertThat(fences()).as("fences during a failover shorter than the lease").isEqualTo(fencedBefore);
    int atFailover = sent.size();
    loginRound(uids, dayAgo, 1);
    Poll.until("sends acknowledged after the failover", 30_000, () -> acknowledged(producer) >= atFailover + 10);
    stop.set(true);
    producer.get(30, TimeUnit.SECONDS);

    long after = Poll.until("a global mail accepted after the failover", 20_000, () -> {
      Reply r = http(node(1), "POST", "/admin/mail", TestTokens.admin(), globalMail(target("all"), "after"), Map.of());
      return r.status() == 201 ? r.body().getLong("globalMailId") : null;
    });
    Poll.until("the cache repair job ran", 20_000, () -> GlobalTesting.tryRunJob(node(0), "global-repair"));

    List<String> sessions = finalLogins(uids, dayAgo);
    for (int i = 0; i < uids.size(); i++) {
      long uid = uids.get(i);
      String session = sessions.get(i);
      Poll.until("one session for " + uid, 20_000, () -> liveSessions(uid) == 1);
      Entry e = Await.result(node(0).online().lookup(uid));
      assertThat(e.sessionId()).as("registry entry of %d", uid).isEqualTo(session);
    }

    for (Long uid : uids) {
      JsonArray mails = opSync(node((int) (uid % 2)), uid, "mail.list", new JsonObject().put("limit", 100))
          .getJsonArray("mails");
      List<String> titles = mails.stream().map(m -> ((JsonObject) m).getString("title")).toList();
      sent.forEach((title, um) -> {
        if (um[0] == uid) {
          assertThat(titles).as("acknowledged send %s", title).containsOnlyOnce(title);
        }
      });
      assertThat(titles.stream().filter(t -> t.startsWith("fo-")).toList()).doesNotHaveDuplicates();
    }
    sent.forEach((title, um) -> assertThat(db.count("SELECT COUNT(*) FROM mail_outbox WHERE uid = ? AND mail_id = ?",
        um[0], um[1])).as("grant of %s", title).isEqualTo(1));
    assertThat(db.copies(before, uids)).allSatisfy((u, n) -> assertThat(n).as("uid %d", u).isEqualTo(1));
    assertThat(db.copies(after, uids)).allSatisfy((u, n) -> assertThat(n).as("uid %d", u).isEqualTo(1));
  }

  /** Two players from {@code from} on whose registry shard is on master {@code victim} (or, if not {@code on}, elsewhere). */
  private List<Long> probes(LocalRedisCluster redis, long from, int victim, boolean on) {
    int buckets = node(0).context().config().online().buckets();
    List<Long> out = LongStream.range(from, from + PROBE_CANDIDATES).boxed()
        .filter(u -> (redis.masterOf(TestEnv.registryBucket(cluster.redisPrefix(), u, buckets)) == victim) == on)
        .limit(2).toList();
    assertThat(out).as("probe players %s master %d", on ? "on" : "off", victim).hasSize(2);
    return out;
  }

  /** Times any node fenced, so far. */
  private double fences() {
    return cluster.nodes().stream()
        .mapToDouble(n -> n.context().info().metrics().counter("raven_online_lease_fenced_total").count()).sum();
  }

  /** Sends acknowledged so far; a producer that gave up fails the test with its own reason. */
  private int acknowledged(CompletableFuture<Void> producer) {
    if (producer.isDone()) {
      producer.join();
    }
    return sent.size();
  }

  private RavenNode node(int i) {
    return cluster.node(i);
  }

  private long liveSessions(long uid) {
    return cluster.nodes().stream().mapToLong(n -> n.onlineSessions(uid)).sum();
  }

  /** Every player logs in on both nodes at once; outcomes do not matter here, only what they leave. */
  private void loginRound(List<Long> uids, long dayAgo, int round) {
    List<Future<?>> logins = new ArrayList<>();
    for (Long uid : uids) {
      for (int n = 0; n < 2; n++) {
        logins.add(GlobalTesting.loginAsync(node((n + round) % 2), GlobalTesting.token(uid, dayAgo))
            .onSuccess(this::keep));
      }
    }
    Await.result(Future.join(logins).recover(t -> Future.succeededFuture()), 60_000);
  }

  /** One more login per player, retried until it is taken (a node may fence itself while a master is down). */
  private List<String> finalLogins(List<Long> uids, long dayAgo) {
    List<String> out = new ArrayList<>();
    for (Long uid : uids) {
      out.add(Poll.until("a login of " + uid + " after the failover", 20_000, () -> {
        TestClient c = TestClient.ws(node((int) (uid % 2)).wsPort());
        keep(c);
        Future<JsonObject> f = c.login(GlobalTesting.token(uid, dayAgo));
        Await.result(f.recover(t -> Future.succeededFuture()), 10_000);
        return f.succeeded() ? f.result().getString("sessionId") : null;
      }));
    }
    return out;
  }

  private synchronized void keep(TestClient c) {
    clients.add(c);
  }

  /**
   * A producer that retries every send with its idempotency key until it is acknowledged, then
   * claims the mail until the claim is acknowledged (or reported as done already).
   */
  private void produce(List<Long> uids) {
    String token = TestTokens.operator(new JsonObject().put("sub", "4242").put("role", "service"));
    for (int i = 0; !stop.get(); i++) {
      long uid = uids.get(i % uids.size());
      String title = "fo-" + i;
      RavenNode n = node(i % 2);
      long mailId = Poll.until("send " + title + " acknowledged", 30_000, () -> {
        Reply r = http(n, "POST", "/internal/mail", token, mail(users(uid), title)
            .put("attachments", new JsonArray().add(MailTesting.gold(1))), Map.of("Idempotency-Key", title));
        return r.status() == 201 ? r.body().getJsonArray("mailIds").getLong(0) : null;
      });
      Poll.until("claim of " + title + " acknowledged", 30_000, () -> claimed(n, uid, mailId));
      sent.put(title, new long[] {uid, mailId});
    }
  }

  private static boolean claimed(RavenNode n, long uid, long mailId) {
    Future<JsonObject> f = op(n, uid, "mail.claim", id(mailId));
    Await.result(f.recover(t -> Future.succeededFuture()), 30_000);
    return f.succeeded() || f.cause() instanceof RavenException re && re.code() == ErrorCode.ALREADY_CLAIMED;
  }
}
