package io.ravenpost.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Damaged frames against a live node over every transport, before and after login: each gets a
 * reply (ok, or an error code of PROTOCOL.md other than INTERNAL) or a clean close, while a
 * bystander's heartbeats keep being answered; afterwards the node is live, takes a fresh login,
 * and its heap is back within 64 MiB of where it started.
 */
class GateFuzzTest {
  private static final int WS_TEXT_INPUTS = FuzzSettings.count(5000);
  private static final int WS_BINARY_INPUTS = FuzzSettings.count(5000);
  private static final int TCP_INPUTS = FuzzSettings.count(6000);
  private static final int RAW_WS_INPUTS = FuzzSettings.count(1000);
  /** A fresh connection (and a coin flip for logging in first) every so many inputs. */
  private static final int PER_CONNECTION = 200;
  private static final long ANSWER_MS = 5000;
  private static final long HEAP_SLACK = 64L << 20;

  @Test
  void everyFrameGetsAnAnswerOrACleanCloseAndTheNodeKeepsServing() throws Exception {
    try (TestCluster cluster = TestCluster.start(1, overrides())) {
      RavenNode node = cluster.node(0);
      List<Throwable> unhandled = new CopyOnWriteArrayList<>();
      node.context().vertx().exceptionHandler(unhandled::add);
      long heapBefore = Heap.usedAfterGc(node.adminPort());
      Random r = new Random(FuzzSettings.SEED);
      List<String> tokens = tokens(r);
      Tally tally = new Tally();
      try (Bystander bystander = new Bystander(node.wsPort())) {
        ws(node.wsPort(), r, tokens, tally, false, WS_TEXT_INPUTS);
        ws(node.wsPort(), r, tokens, tally, true, WS_BINARY_INPUTS);
        tcp(node.tcpPort(), r, tokens, tally, TCP_INPUTS);
        new WsFraming(node.wsPort(), r, tokens, tally).run(RAW_WS_INPUTS);
        System.out.println("GateFuzzTest: " + tally + "; bystander heartbeats answered: " + bystander.answered());
        assertThat(bystander.problem()).as("the bystander's heartbeats").isNull();
        assertThat(bystander.answered()).isPositive();
      }
      assertThat(tally.failures()).as(tally.toString()).isZero();
      assertThat(unhandled).as("exceptions no handler caught on the node, the first: %s",
          unhandled.isEmpty() ? "" : stackOf(unhandled.get(0))).isEmpty();
      assertThat(tally.inputs()).isGreaterThanOrEqualTo(WS_TEXT_INPUTS + WS_BINARY_INPUTS + TCP_INPUTS + RAW_WS_INPUTS);

      assertThat(TestHttp.get(node.adminPort(), "/health/live", null).status()).isEqualTo(200);
      for (TestClient.Mode mode : TestClient.Mode.values()) {
        TestClient fresh = Await.result(TestClient.connect(mode == TestClient.Mode.TCP ? node.tcpPort() : node.wsPort(), mode));
        assertThat(fresh.loginSync(TestTokens.player(TestEnv.randomUid())).getString("sessionId")).isNotEmpty();
        Await.result(fresh.close());
      }
      Heap.awaitWithin(node.adminPort(), heapBefore, HEAP_SLACK);
    }
  }

  private static void ws(int port, Random r, List<String> tokens, Tally tally, boolean binary, int n) {
    TestClient.Mode mode = binary ? TestClient.Mode.WS_MSGPACK : TestClient.Mode.WS_JSON;
    FuzzClient c = null;
    for (int i = 0; i < n; i++) {
      if (c == null || c.client.isClosed() || i % PER_CONNECTION == 0) {
        c = reconnect(c, port, mode, r);
      }
      byte[] in = binary ? FrameInputs.msgpack(r, tokens) : FrameInputs.json(r, tokens);
      c.send(in, binary);
      if (r.nextInt(20) == 0) {
        // The client hangs up with its request under way: the reply meets a closed socket.
        tally.input();
        tally.outcome("hung up");
        c = reconnect(c, port, mode, r);
      } else {
        expect(c, tally, (binary ? "ws binary " : "ws text ") + HexFormat.of().formatHex(in));
      }
    }
    c.close();
  }

  /** TCP adds the length prefix to fuzz: absurd, zero, negative, split across writes, truncated. */
  private static void tcp(int port, Random r, List<String> tokens, Tally tally, int n) {
    FuzzClient c = null;
    for (int i = 0; i < n; i++) {
      if (c == null || c.client.isClosed() || i % PER_CONNECTION == 0) {
        c = reconnect(c, port, TestClient.Mode.TCP, r);
      }
      byte[] payload = FrameInputs.msgpack(r, tokens);
      Buffer framed = Buffer.buffer().appendInt(payload.length).appendBytes(payload);
      String label = "tcp " + HexFormat.of().formatHex(framed.getBytes());
      int kind = r.nextInt(10);
      if (kind < 6) {
        c.send(framed.getBytes(), true);
        expect(c, tally, label);
      } else if (kind < 7) {
        int len = new int[] {0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 65537, 65536 + r.nextInt(1 << 30)}[r.nextInt(6)];
        byte[] in = Buffer.buffer().appendInt(len).appendBytes(payload).getBytes();
        c.send(in, true);
        label = "tcp length " + len;
        String got = expect(c, tally, label);
        if (!FuzzClient.CLOSED.equals(got) && !c.client.awaitClosed(ANSWER_MS)) {
          tally.fail(label + " -> answered " + got + " but the connection stayed open");
        }
      } else if (kind < 9) {
        // One frame over several writes, or two frames in one: the framing is the stream's, not the write's.
        byte[] bytes = framed.getBytes();
        if (kind == 7) {
          int cut = r.nextInt(bytes.length);
          c.send(Arrays.copyOfRange(bytes, 0, cut), true);
          c.send(Arrays.copyOfRange(bytes, cut, bytes.length), true);
          expect(c, tally, label + " (split at " + cut + ")");
        } else {
          c.send(Buffer.buffer().appendBuffer(framed).appendBuffer(framed).getBytes(), true);
          if (!FuzzClient.CLOSED.equals(expect(c, tally, label + " (twice, first)"))) {
            expect(c, tally, label + " (twice, second)");
          } else {
            tally.input();
            tally.outcome(FuzzClient.CLOSED);
          }
        }
      } else {
        // The client goes away mid-frame: nothing to answer, and nothing may leak.
        c.send(Arrays.copyOf(framed.getBytes(), r.nextInt(framed.length())), true);
        tally.input();
        tally.outcome("truncated");
        c = reconnect(c, port, TestClient.Mode.TCP, r);
      }
    }
    c.close();
  }

  private static String expect(FuzzClient c, Tally tally, String label) {
    tally.input();
    String got = c.answer(ANSWER_MS, tally, label);
    if (got == null) {
      tally.fail(label + " -> no answer and no close within " + ANSWER_MS + " ms");
      return null;
    }
    tally.outcome(got);
    return got;
  }

  /** A new connection; half of them log in first, so inputs reach the ops behind authentication. */
  private static FuzzClient reconnect(FuzzClient old, int port, TestClient.Mode mode, Random r) {
    if (old != null) {
      old.close();
    }
    FuzzClient c = FuzzClient.open(port, mode);
    if (r.nextBoolean()) {
      c.client.loginSync(TestTokens.player(TestEnv.randomUid()));
    }
    return c;
  }

  /** Tokens a fuzzed auth.login may carry: valid ones, refused ones (uid 0, wrong secret, operator). */
  private static List<String> tokens(Random r) {
    return List.of(TestTokens.player(TestEnv.randomUid()), TestTokens.player(TestEnv.randomUid()),
        TestTokens.mint(new JsonObject().put("sub", "0")), TestTokens.mint(new JsonObject().put("sub", "-5")),
        TestTokens.mint(new JsonObject().put("sub", "x").put("role", "player")), TestTokens.admin(),
        TestTokens.playerSigned("admin"), "a.b.c", Long.toString(r.nextLong()));
  }

  private static String stackOf(Throwable t) {
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }

  private static JsonObject overrides() {
    return new JsonObject()
        // Inputs are meant to reach the decoder and the ops, not the rate limit.
        .put("gate", new JsonObject().put("opsPerSecond", 100_000).put("opsBurst", 100_000))
        .put("watch", new JsonObject().put("maxWaitMs", 200).put("defaultWaitMs", 0));
  }
}
