package io.ravenpost.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that keeps asking but never reads its replies must not make the node buffer without
 * bound: once {@code gate.maxQueuedBytes} wait to be written, the node closes the connection.
 */
class SlowConsumerTest {
  private static final int QUEUE_LIMIT = 64 * 1024;

  @Test
  void aClientThatStopsReadingIsClosedOnceItsQueueIsFull() throws IOException {
    try (TestCluster cluster = TestCluster.start(1, new JsonObject().put("gate", new JsonObject()
        .put("maxQueuedBytes", QUEUE_LIMIT).put("opsPerSecond", 5000).put("opsBurst", 5000)
        // Every request stays in flight until its reply is written: only the queue limit may stop them.
        .put("maxInFlightPerSession", 10_000)))) {
      RavenNode node = cluster.node(0);
      long uid = TestEnv.randomUid();
      List<Future<?>> sends = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        sends.add(node.context().vertx().eventBus().request(MailAddresses.ADMIN_SEND.address(), new JsonObject()
            .put("target", new JsonObject().put("type", "users").put("uids", new JsonArray().add(uid)))
            .put("title", "a title long enough to make every listing reply weigh something " + i).put("body", "b")));
      }
      Await.result(Future.all(sends), 30_000);

      try (RawTcp raw = new RawTcp(node.tcpPort(), 4096)) {
        raw.write(new JsonObject().put("id", 1).put("op", "auth.login")
            .put("body", new JsonObject().put("token", TestTokens.player(uid))));
        JsonObject login = raw.read();
        assertThat(login.getBoolean("ok")).as(login.encode()).isTrue();

        // Ask for full pages (about 20 KB each, past the first page so no catch-up runs) and never
        // read: 2,000 of them outweigh the kernel's socket buffers (megabytes) many times over.
        JsonObject list = new JsonObject().put("limit", 100).put("cursor", Long.toString(Long.MAX_VALUE));
        try {
          for (int i = 0; i < 2000; i++) {
            raw.write(new JsonObject().put("id", 2 + i).put("op", "mail.list").put("body", list));
          }
        } catch (IOException closedWhileWriting) {
          // The node may already have closed it: that is the point.
        }
        Poll.until("the node counts a slow consumer", 60_000, () -> slowConsumers(node) >= 1);
        assertThat(drainsToEnd(raw.socket.getInputStream())).as("the node closed the connection").isTrue();
      }
    }
  }

  /** Reads what was sent before the close; true when the stream ends (or is reset) within the timeout. */
  private static boolean drainsToEnd(InputStream in) {
    byte[] buf = new byte[64 * 1024];
    try {
      while (in.read(buf) >= 0) {
        // discard
      }
      return true;
    } catch (java.net.SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private static double slowConsumers(RavenNode node) {
    String metrics = TestHttp.get(node.adminPort(), "/metrics", null).body();
    return metrics.lines().filter(l -> l.startsWith("raven_gate_slow_consumers_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
