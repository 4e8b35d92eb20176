package io.ravenpost.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.testkit.TestCluster;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * RFC 6455 allows a message whose first fragment is empty. Vert.x 5.0.10's message aggregation
 * (WebSocketImplBase.FrameAggregator) routes a continuation only while the buffered message is
 * non-empty, so such a message was dropped: no answer, no close. GateFuzzTest found it; the gate
 * now joins fragments itself (gate.WsMessages).
 */
class EmptyFirstFragmentTest {
  @Test
  void aMessageWhoseFirstFragmentIsEmptyIsAnswered() throws Exception {
    try (TestCluster cluster = TestCluster.start(1); RawWs ws = new RawWs(cluster.node(0).wsPort(), new Random(1))) {
      ws.frame(false, 0, RawWs.TEXT, true, new byte[0], -1);
      ws.frame(true, 0, RawWs.CONTINUATION, true,
          "{\"id\":1,\"op\":\"heartbeat\",\"body\":{}}".getBytes(StandardCharsets.UTF_8), -1);
      Object[] answer = ws.next();
      assertThat(answer).as("an answer within 5 s").isNotNull();
      assertThat(new String((byte[]) answer[1], StandardCharsets.UTF_8)).contains("NOT_AUTHENTICATED");
    }
  }
}
