package io.ravenpost.online;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.node.NodeContext;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestCluster;
import io.vertx.redis.client.RedisAPI;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The set of nodes does not grow with every node that ever lived: the stale-session sweep forgets
 * nodes silent for long (with their eviction queues), while a node that renews stays, and the
 * nodes asked about for an {@code online} send are only those that renewed lately.
 */
class SilentNodesTest {
  @Test
  void theSweepForgetsNodesLongDeadAndKeepsTheLiveOnes() {
    try (TestCluster cluster = TestCluster.start(1)) {
      RavenNode node = cluster.node(0);
      NodeContext ctx = node.context();
      RedisAPI redis = ctx.redis();
      long dayAgo = System.currentTimeMillis() - 86_400_000L;
      List<String> zadd = new ArrayList<>(List.of(ctx.key("nodes")));
      for (int i = 0; i < 500; i++) {
        zadd.addAll(List.of(Long.toString(dayAgo + i), "long-dead-" + i));
      }
      zadd.addAll(List.of(Long.toString(System.currentTimeMillis()), "just-died"));
      Await.result(redis.zadd(zadd));
      Await.result(redis.rpush(List.of(ctx.key("evict:long-dead-7"), "1|s")));

      assertThat(Await.result(node.online().liveNodes())).containsExactly(node.nodeId());
      Await.result(node.online().sweepStale());

      List<String> left = new ArrayList<>();
      Await.result(redis.zrange(List.of(ctx.key("nodes"), "0", "-1"))).forEach(r -> left.add(r.toString()));
      assertThat(left).containsExactlyInAnyOrder(node.nodeId(), "just-died");
      assertThat(Await.result(redis.exists(List.of(ctx.key("evict:long-dead-7")))).toInteger()).isZero();
    }
  }
}
