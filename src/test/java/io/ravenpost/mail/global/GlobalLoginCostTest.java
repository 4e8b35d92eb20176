package io.ravenpost.mail.global;

import static io.ravenpost.mail.global.GlobalTesting.globalMail;
import static io.ravenpost.mail.global.GlobalTesting.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.mail.global.store.GlobalKeys;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's login cost: a login with no global mail to bring costs no distribution round in
 * MySQL, counted by the Vert.x SQL client's own metrics on a quiet one-node cluster.
 */
class GlobalLoginCostTest {
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

  /**
   * A login whose player Redis knows to be up to date (its "seen" hint at the newest id of a
   * complete id ZSET) runs two MySQL statements, the users row and the read of its change feed's
   * head (the login reply's seq), and no distribution round.
   */
  @Test
  void aLoginWithNothingToDistributeRunsOnlyItsUsersRowAndFeedHead() {
    RavenNode node = cluster.node(0);
    long uid = TestEnv.randomUid();
    long dayAgo = System.currentTimeMillis() / 1000 - 86_400;
    long mail = GlobalTesting.send(node, globalMail(target("all"), "before the logins"));
    GlobalTesting.login(node, GlobalTesting.token(uid, dayAgo)).close();
    Poll.until("the id ZSET is known complete", 10_000, () -> redis.members("gmail:ids").contains(GlobalKeys.COMPLETE));
    // The first logins caught up (and, with the ZSET incomplete at first, read ids from MySQL).
    GlobalTesting.login(node, GlobalTesting.token(uid, dayAgo)).close();
    assertThat(db.copies(mail, List.of(uid))).containsEntry(uid, 1L);

    long[] least = {Long.MAX_VALUE, Long.MAX_VALUE};
    for (int i = 0; i < TRIALS; i++) {
      long[] before = GlobalMailCostTest.settled(node.context().metrics());
      TestClient c = GlobalTesting.login(node, GlobalTesting.token(uid, dayAgo));
      long[] after = GlobalMailCostTest.settled(node.context().metrics());
      c.close();
      least[0] = Math.min(least[0], after[0] - before[0]);
      least[1] = Math.min(least[1], after[1] - before[1]);
    }
    System.out.printf("a login with nothing to distribute: %d MySQL statements, %d Redis commands%n", least[0],
        least[1]);
    assertThat(least[0]).as("MySQL statements of a login with nothing to distribute (users row, feed head)")
        .isEqualTo(2);
    assertThat(db.copies(mail, List.of(uid))).containsEntry(uid, 1L);
  }

}
