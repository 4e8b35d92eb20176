package io.ravenpost.node;

import static io.ravenpost.mail.global.GlobalTesting.globalMail;
import static io.ravenpost.mail.global.GlobalTesting.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.mail.global.GlobalTesting;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/**
 * A node that comes back under the same id (run.sh names them node0, node1, ...) within its lease
 * is a new incarnation: its earlier life's players are offline at once, and an online walk that
 * life left unfinished is finished, by this node or another.
 */
class NodeIncarnationTest {
  /** Long enough that the earlier life's lease is surely still there when its successor starts. */
  private static final long LEASE_MS = 30_000;

  @Test
  void aNodeRestartedWithinItsLeaseRetiresItsEarlierLife() {
    String id = "inc" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffL);
    JsonObject sameId = new JsonObject().put("node", new JsonObject().put("id", id));
    try (Scratch db = new Scratch();
         TestCluster cluster = TestCluster.start(1, db.overrides(new JsonObject()
             .put("online", new JsonObject().put("leaseMs", LEASE_MS).put("renewMs", 1000))))) {
      cluster.addNode(sameId);
      long uid = TestEnv.randomUid();
      TestClient player = TestClient.ws(cluster.node(1).wsPort());
      player.loginSync(TestTokens.player(uid));
      String earlierLife = cluster.node(1).nodeId();
      long walk = GlobalTesting.send(cluster.node(1), globalMail(target("online"), "left unfinished"));
      GlobalTesting.awaitSent(cluster.node(1), walk);
      db.execute("UPDATE global_mail SET sending_node = ?, sent_at = NULL WHERE id = ?", earlierLife, walk);

      cluster.crash(1);
      cluster.addNode(sameId);

      assertThat(cluster.node(1).nodeId()).startsWith(id).isNotEqualTo(earlierLife);
      JsonObject state = TestHttp.get(cluster.node(0).adminPort(), "/admin/online/" + uid, TestTokens.admin()).json();
      assertThat(state.getBoolean("online")).as("the player of a dead incarnation: " + state).isFalse();
      GlobalTesting.runJob(cluster.node(1), "global-resume");
      assertThat(db.rows("SELECT sent_at FROM global_mail WHERE id = ?", walk).get(0).getLong("sent_at"))
          .as("the walk its earlier life owned is finished").isNotNull();
    }
  }
}
