package io.ravenpost.mail.global.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.global.store.GlobalKeys;
import io.ravenpost.node.NodeContext;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import org.junit.jupiter.api.Test;

/**
 * The players of an {@code online} send still being written are kept in memory by every node that
 * serves their reads, and forgotten by each of them once the send is written (only the writer's
 * node hears its close): a node serving reads for a year does not keep every online send's players.
 */
class OnlineOwedTest {
  @Test
  void aNodeOtherThanTheWriterForgetsASendOnceItIsWritten() {
    try (TestCluster cluster = TestCluster.start(1)) {
      NodeContext ctx = cluster.node(0).context();
      GlobalKeys keys = new GlobalKeys(ctx.stores());
      OnlineOwed writer = new OnlineOwed(ctx.stores(), keys);
      OnlineOwed reader = new OnlineOwed(ctx.stores(), keys);
      long uid = TestEnv.randomUid();
      for (long id = 1; id <= 5; id++) {
        Await.result(writer.opened(id, "gate-" + uid));
      }
      // A player none of these sends told: nothing to write, but the records are now remembered.
      Await.result(reader.settle(uid, null));
      assertThat(reader.remembered()).isEqualTo(5);
      for (long id = 1; id <= 5; id++) {
        Await.result(writer.closed(id, "gate-" + uid));
      }
      Await.result(reader.settle(uid, null));
      assertThat(reader.remembered()).as("records closed by the writer, forgotten by the reader").isZero();
    }
  }
}
