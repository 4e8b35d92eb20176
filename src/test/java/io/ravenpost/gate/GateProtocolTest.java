package io.ravenpost.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client contract of PROTOCOL.md on one node, over every transport. */
class GateProtocolTest {
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static TestClient connect(TestClient.Mode mode) {
    int port = mode == TestClient.Mode.TCP ? cluster.node(0).tcpPort() : cluster.node(0).wsPort();
    return Await.result(TestClient.connect(port, mode));
  }

  @ParameterizedTest
  @EnumSource(TestClient.Mode.class)
  void loginAndHeartbeatOverEveryTransport(TestClient.Mode mode) {
    TestClient c = connect(mode);
    long uid = TestEnv.randomUid();
    assertThat(c.errorOf("heartbeat", new JsonObject())).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
    JsonObject login = c.loginSync(TestTokens.player(uid));
    assertThat(login.getLong("uid")).isEqualTo(uid);
    assertThat(login.getString("sessionId")).isNotEmpty();
    assertThat(login.getLong("serverTime")).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(5000L));
    assertThat(login.getLong("unread")).isNotNull();
    JsonObject hb = c.callSync("heartbeat", new JsonObject());
    assertThat(hb.getLong("serverTime")).isPositive();
    assertThat(hb.containsKey("unread")).isTrue();
    assertThat(hb.containsKey("newMail")).isTrue();
    Await.result(c.close());
  }

  @Test
  void beforeLoginEveryOpIsRefused() {
    TestClient c = connect(TestClient.Mode.WS_JSON);
    for (String op : new String[] {"mail.list", "mail.claim", "presence.watch", "heartbeat"}) {
      assertThat(c.errorOf(op, new JsonObject())).as(op).isEqualTo(ErrorCode.NOT_AUTHENTICATED);
    }
    assertThat(c.errorOf("no.such.op", new JsonObject())).isEqualTo(ErrorCode.UNKNOWN_OP);
  }

  @Test
  void malformedFramesAnswerBadRequestAndTheConnectionStaysUsable() {
    TestClient c = connect(TestClient.Mode.WS_JSON);
    c.sendBytes(Buffer.buffer("{not json"), false);
    assertThat(c.nextUnmatched(5000).getJsonObject("error").getString("code")).isEqualTo("BAD_REQUEST");
    c.sendBytes(Buffer.buffer("[1,2,3]"), false);
    assertThat(c.nextUnmatched(5000).getJsonObject("error").getString("code")).isEqualTo("BAD_REQUEST");
    c.sendBytes(Buffer.buffer(new byte[] {(byte) 0x81, (byte) 0xa2}), true);
    assertThat(c.nextUnmatched(5000).getJsonObject("error").getString("code")).isEqualTo("BAD_REQUEST");
    assertThat(Await.result(c.request("auth.login", new JsonObject().put("token", 42)))
        .getJsonObject("error").getString("code")).isEqualTo("BAD_REQUEST");
    assertThat(Await.result(c.request("auth.login", null)).getJsonObject("error").getString("code"))
        .isEqualTo("BAD_REQUEST");
    c.sendRaw(new JsonObject().put("id", 99).put("op", 7));
    JsonObject badOp = c.nextUnmatched(5000);
    assertThat(badOp.getInteger("id")).isEqualTo(99);
    assertThat(badOp.getJsonObject("error").getString("code")).isEqualTo("BAD_REQUEST");
    assertThat(c.loginSync(TestTokens.player(TestEnv.randomUid())).getString("sessionId")).isNotEmpty();
  }

  @Test
  void wsFrameOverTheLimitClosesTheConnection() {
    TestClient c = connect(TestClient.Mode.WS_JSON);
    String big = "x".repeat(70 * 1024);
    c.sendRaw(new JsonObject().put("id", 1).put("op", "heartbeat").put("body", new JsonObject().put("pad", big)));
    assertThat(c.awaitClosed(5000)).isTrue();
  }

  @Test
  void tcpFrameOverTheLimitIsTooLargeThenClosed() {
    TestClient c = connect(TestClient.Mode.TCP);
    c.sendBytes(Buffer.buffer().appendInt(70 * 1024).appendBytes(new byte[16]), true);
    JsonObject err = c.nextUnmatched(5000);
    assertThat(err.getJsonObject("error").getString("code")).isEqualTo("TOO_LARGE");
    assertThat(c.awaitClosed(5000)).isTrue();
  }

  @Test
  void loggingInTwiceOnOneConnectionIsRefused() {
    TestClient c = connect(TestClient.Mode.WS_JSON);
    long uid = TestEnv.randomUid();
    c.loginSync(TestTokens.player(uid));
    assertThat(c.errorOf("auth.login", new JsonObject().put("token", TestTokens.player(uid + 1))))
        .isEqualTo(ErrorCode.BAD_REQUEST);
  }
}
