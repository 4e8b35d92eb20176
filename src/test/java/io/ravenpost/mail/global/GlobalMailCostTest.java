package io.ravenpost.mail.global;

import static io.ravenpost.mail.global.GlobalTesting.globalMail;
import static io.ravenpost.mail.global.GlobalTesting.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.mail.global.TestRedis;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.ClientRequests;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 4's cost test: creating an {@code all_to_date} mail with 10,000 registered players does the
 * same number of MySQL statements and Redis commands as with 10 (counted by the Vert.x SQL and
 * Redis clients' own metrics on a quiet one-node cluster), writes no per-player row, and players
 * created before it get it exactly once at login, players created after never.
 */
class GlobalMailCostTest {
  private static final int TRIALS = 3;
  static Scratch db;
  static TestCluster cluster;
  static TestRedis redis;

  @BeforeAll
  static void start() {
    db = new Scratch();
    cluster = TestCluster.start(1, GlobalTesting.quiet(db));
    redis = new TestRedis(cluster.redisPrefix());
  }

  @AfterAll
  static void stop() {
    redis.close();
    cluster.close();
    db.close();
  }

  @Test
  void allToDateCostsTheSameWith10And10000PlayersAndReachesOlderPlayersExactlyOnce() {
    RavenNode node = cluster.node(0);
    long base = TestEnv.randomUid();
    long dayAgo = System.currentTimeMillis() / 1000 - 86_400;
    db.seedUsers(base, 10, dayAgo);
    List<Long> mails = new ArrayList<>();
    long[] small = cheapest(node, mails, "10 players");
    db.seedUsers(base + 10, 9_990, dayAgo);
    assertThat(db.count("SELECT COUNT(*) FROM users")).isEqualTo(10_000);
    long[] big = cheapest(node, mails, "10,000 players");

    assertThat(big).as("MySQL statements and Redis commands of one create, 10k vs 10 players").containsExactly(small);
    assertThat(small[0]).as("MySQL statements").isBetween(1L, 10L);
    assertThat(small[1]).as("Redis commands").isBetween(1L, 10L);
    assertThat(db.count("SELECT COUNT(*) FROM mailbox")).as("no copy is written at creation").isZero();
    assertThat(db.count("SELECT COUNT(*) FROM global_mail")).isEqualTo(2 * TRIALS);
    assertThat(redis.members("gmail:ids")).containsAll(mails.stream().map(String::valueOf).toList());
    mails.forEach(id -> assertThat(redis.exists("gmail:body:" + id)).isTrue());

    long after = System.currentTimeMillis() / 1000 + 60;
    db.seedUsers(base + 10_000, 10, after);
    List<Long> before = LongStream.range(0, 20).map(i -> base + i * 499).boxed().toList();
    List<Long> newer = LongStream.range(10_000, 10_010).map(i -> base + i).boxed().toList();
    for (int round = 0; round < 2; round++) {
      for (Long uid : before) {
        TestClient c = GlobalTesting.login(node, GlobalTesting.token(uid, dayAgo));
        assertThat(c.callSync("mail.list", new JsonObject().put("limit", 100)).getJsonArray("mails"))
            .as("uid %d sees every mail once", uid).hasSize(mails.size());
        c.close();
      }
      for (Long uid : newer) {
        TestClient c = GlobalTesting.login(node, GlobalTesting.token(uid, after));
        assertThat(c.callSync("mail.unread", new JsonObject()).getLong("unread")).isZero();
        c.close();
      }
    }
    for (Long id : mails) {
      assertThat(db.copies(id, before)).as("mail %d for players created before", id)
          .allSatisfy((uid, n) -> assertThat(n).isEqualTo(1));
      assertThat(db.copies(id, newer)).as("mail %d for players created after", id)
          .allSatisfy((uid, n) -> assertThat(n).isZero());
    }
    assertThat(db.count("SELECT COUNT(*) FROM mailbox"))
        .as("only players who logged in got copies").isEqualTo((long) before.size() * mails.size());
  }

  /** The fewest statements and commands of {@link #TRIALS} creates (a periodic timer may add one to a trial). */
  private static long[] cheapest(RavenNode node, List<Long> mails, String label) {
    long[] best = {Long.MAX_VALUE, Long.MAX_VALUE};
    for (int i = 0; i < TRIALS; i++) {
      long[] before = requests(node.context().metrics());
      mails.add(GlobalTesting.send(node, globalMail(target("all_to_date"), "cost " + label + " " + i)));
      long[] after = settled(node.context().metrics());
      best[0] = Math.min(best[0], after[0] - before[0]);
      best[1] = Math.min(best[1], after[1] - before[1]);
    }
    System.out.printf("global mail create with %s: %d MySQL statements, %d Redis commands%n", label, best[0], best[1]);
    return best;
  }

  /** The counts once they stopped moving for 200 ms: the create's background step (queueing online players) is over. */
  static long[] settled(MeterRegistry registry) {
    long[] last = requests(registry);
    int still = 0;
    long end = System.currentTimeMillis() + 5000;
    while (still < 4 && System.currentTimeMillis() < end) {
      GlobalTesting.pause(50);
      long[] now = requests(registry);
      still = now[0] == last[0] && now[1] == last[1] ? still + 1 : 0;
      last = now;
    }
    return last;
  }

  static long[] requests(MeterRegistry registry) {
    return ClientRequests.count(registry);
  }
}
