package io.ravenpost.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connection that has not logged in costs the node little and cannot stay: a slow handshake,
 * a socket that never logs in, a thousand sockets from one address, a big frame before login and
 * a flood of frames are each cut short, while a logged-in bystander keeps getting answers.
 */
class PreLoginLimitsTest {
  private static final int CAP = 50;

  private static TestCluster start(long deadlineMs) {
    return TestCluster.start(1, new JsonObject().put("gate", new JsonObject()
        .put("preLoginMaxFrameBytes", 1024).put("loginDeadlineMs", deadlineMs).put("handshakeTimeoutMs", deadlineMs)
        .put("maxConnectionsPerIp", CAP).put("maxInFlightPerSession", 4)));
  }

  private static TestClient bystander(TestCluster cluster) {
    TestClient c = TestClient.ws(cluster.node(0).wsPort());
    c.loginSync(TestTokens.player(TestEnv.randomUid()));
    return c;
  }

  @Test
  void slowHandshakesAndSilentSocketsAreClosedAtTheirDeadlines() throws IOException {
    try (TestCluster cluster = start(1500)) {
      TestClient bystander = bystander(cluster);
      try (Socket slow = new Socket()) {
        slow.connect(new InetSocketAddress("127.0.0.1", cluster.node(0).wsPort()), 5000);
        slow.setSoTimeout(10_000);
        slow.getOutputStream().write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
        long t0 = System.currentTimeMillis();
        assertThat(readUntilClosed(slow.getInputStream())).as("the half-sent upgrade is closed by the node").isTrue();
        assertThat(System.currentTimeMillis() - t0).isLessThan(8000);
      }
      TestClient silent = TestClient.ws(cluster.node(0).wsPort());
      assertThat(silent.awaitClosed(8000)).as("a WebSocket that never logs in is closed").isTrue();
      bystander.callSync("heartbeat", new JsonObject());
    }
  }

  @Test
  void oneAddressHoldsAtMostItsCap() throws IOException {
    try (TestCluster cluster = start(60_000)) {
      TestClient bystander = bystander(cluster);
      List<Socket> sockets = new ArrayList<>();
      try {
        for (int i = 0; i < 1000; i++) {
          Socket s = new Socket();
          s.connect(new InetSocketAddress("127.0.0.1", cluster.node(0).tcpPort()), 5000);
          sockets.add(s);
        }
        int open = Poll.until("the node closed what is over the cap", 15_000, () -> {
          int n = countOpen(sockets);
          return n < CAP ? n : null;
        });
        assertThat(open).as("sockets kept besides the bystander's").isEqualTo(CAP - 1);
        bystander.callSync("heartbeat", new JsonObject());
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
      Poll.until("a fresh player gets in once the sockets are gone", 10_000, () -> {
        TestClient c = Await.result(TestClient.connect(cluster.node(0).tcpPort(), TestClient.Mode.TCP));
        try {
          return c.loginSync(TestTokens.player(TestEnv.randomUid())).containsKey("sessionId");
        } catch (RuntimeException refused) {
          return false;
        } finally {
          c.close();
        }
      });
    }
  }

  @Test
  void bigFramesBeforeLoginFloodsAndPilesOfRequestsAreRefused() {
    try (TestCluster cluster = start(10_000)) {
      TestClient bystander = bystander(cluster);
      TestClient stranger = TestClient.ws(cluster.node(0).wsPort());
      String big = new JsonObject().put("id", 1).put("op", "auth.login")
          .put("body", new JsonObject().put("token", "x".repeat(4000))).encode();
      stranger.sendBytes(Buffer.buffer(big), false);
      assertThat(stranger.nextUnmatched(5000).getJsonObject("error").getString("code")).isEqualTo("TOO_LARGE");
      assertThat(stranger.awaitClosed(5000)).isTrue();

      TestClient player = bystander(cluster);
      JsonObject padded = new JsonObject().put("padding", "y".repeat(4000));
      assertThat(player.callSync("heartbeat", padded)).as("after login the full frame limit applies").isNotNull();

      long offline = TestEnv.randomUid();
      JsonObject watch = new JsonObject().put("uids", new JsonArray().add(offline))
          .put("known", new JsonObject().put(Long.toString(offline), false)).put("waitMs", 3000);
      List<Future<JsonObject>> held = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        held.add(player.request("presence.watch", watch));
      }
      List<JsonObject> replies = Await.result(Future.all(held).map(cf -> cf.<JsonObject>list()), 15_000);
      assertThat(replies.stream().filter(r -> !r.getBoolean("ok") && r.getJsonObject("error").getString("message")
          .contains("in flight")).count()).as("requests past 4 in flight: " + replies).isGreaterThanOrEqualTo(6);

      TestClient flooder = bystander(cluster);
      for (int i = 0; i < 5_000; i++) {
        flooder.sendRaw(new JsonObject().put("id", "f" + i).put("op", "heartbeat").put("body", new JsonObject()));
      }
      bystander.callSync("heartbeat", new JsonObject());
      assertThat(flooder.awaitClosed(15_000)).as("a flooding connection is closed").isTrue();
      bystander.callSync("heartbeat", new JsonObject());
    }
  }

  private static boolean readUntilClosed(InputStream in) throws IOException {
    try {
      while (in.read() >= 0) {
        // an error answer may come first; the close is what counts
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  private static int countOpen(List<Socket> sockets) {
    int open = 0;
    for (Socket s : sockets) {
      try {
        s.setSoTimeout(1);
        open += s.getInputStream().read() < 0 ? 0 : 1;
      } catch (SocketTimeoutException e) {
        open++;
      } catch (IOException e) {
        // reset by the node: closed
      }
    }
    return open;
  }
}
