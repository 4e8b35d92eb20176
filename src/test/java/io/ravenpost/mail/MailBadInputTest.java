package io.ravenpost.mail;

import static io.ravenpost.mail.MailTesting.sendOne;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every mail op refuses missing, wrong-typed and oversize fields with BAD_REQUEST naming the field. */
class MailBadInputTest {
  static TestCluster cluster;
  static RavenNode node;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1);
    node = cluster.node(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static JsonObject body(Object... kv) {
    JsonObject o = new JsonObject();
    for (int i = 0; i < kv.length; i += 2) {
      o.put((String) kv[i], kv[i + 1]);
    }
    return o;
  }

  @Test
  void badBodiesPerOp() {
    long uid = TestEnv.randomUid();
    TestClient c = TestClient.ws(node.wsPort());
    c.loginSync(TestTokens.mint(new JsonObject().put("sub", Long.toString(uid)).put("name", "bad-" + uid)));
    long mailId = sendOne(node, uid, "still here");
    Map<String, List<JsonObject>> bad = Map.of(
        "mail.open", List.of(body(), body("mailId", "abc"), body("mailId", 1.5), body("mailId", true),
            body("mailId", new JsonObject())),
        "mail.claim", List.of(body(), body("mailId", "x"), body("mailId", new JsonArray())),
        "mail.delete", List.of(body(), body("mailId", 2.5)),
        "mail.list", List.of(body("limit", 0), body("limit", 101), body("limit", "x"), body("cursor", "abc"),
            body("cursor", -5), body("cursor", new JsonObject())),
        "mail.send", List.of(body("title", "t", "body", "b"), body("to", "bob", "title", "t", "body", "b"),
            body("to", new JsonObject(), "title", "t", "body", "b"),
            body("to", new JsonObject().put("name", 5), "title", "t", "body", "b"),
            body("to", uid, "body", "b"), body("to", uid, "title", "x".repeat(129), "body", "b"),
            body("to", uid, "title", "t"), body("to", uid, "title", "t", "body", 5),
            body("to", uid, "title", "t", "body", "y".repeat(4097))));
    bad.forEach((op, bodies) -> bodies.forEach(b -> {
      JsonObject reply = Await.result(c.request(op, b));
      assertThat(reply.getBoolean("ok")).as("%s %s", op, b.encode()).isFalse();
      assertThat(reply.getJsonObject("error").getString("code")).as("%s %s", op, b.encode())
          .isEqualTo("BAD_REQUEST");
    }));
    JsonObject err = Await.result(c.request("mail.open", body("mailId", "abc"))).getJsonObject("error");
    assertThat(err.getString("message")).contains("mailId");
    err = Await.result(c.request("mail.list", body("limit", 500))).getJsonObject("error");
    assertThat(err.getString("message")).contains("limit");
    assertThat(c.errorOf("mail.nope", new JsonObject())).isEqualTo(ErrorCode.UNKNOWN_OP);

    assertThat(c.callSync("mail.list", new JsonObject()).getJsonArray("mails").getJsonObject(0).getLong("mailId"))
        .as("the connection and the mailbox are unharmed").isEqualTo(mailId);
    assertThat(c.callSync("mail.unread", new JsonObject()).getLong("unread")).isEqualTo(1);
  }

  @Test
  void badRequestsOnTheMailAddresses() {
    assertThat(busFailure(MailAddresses.CLIENT.address(), new JsonObject(), new DeliveryOptions().addHeader("op", "mail.list")))
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(busFailure(MailAddresses.CLIENT.address(), new JsonObject(), new DeliveryOptions().addHeader("op", "mail.nope")
        .addHeader("uid", "5"))).isEqualTo(ErrorCode.UNKNOWN_OP);
    assertThat(busFailure(MailAddresses.LOGIN.address(), new JsonObject().put("uid", "x"), new DeliveryOptions()))
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(busFailure(MailAddresses.HEARTBEAT.address(), new JsonObject(), new DeliveryOptions()))
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(busFailure(MailAddresses.UNREAD.address(), new JsonObject().put("uid", 1.5), new DeliveryOptions()))
        .isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(busFailure(MailAddresses.SEND.address(), MailTesting.mail(MailTesting.users(1), "t").put("idempotencyKey", 7),
        new DeliveryOptions())).isEqualTo(ErrorCode.BAD_REQUEST);
    assertThat(busFailure(MailAddresses.ADMIN_MAILBOX.address(), new JsonObject().put("uid", 1).put("limit", 1000),
        new DeliveryOptions())).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  private static ErrorCode busFailure(String address, JsonObject body, DeliveryOptions opts) {
    Throwable t = Await.failure(node.context().vertx().eventBus().request(address, body, opts));
    return ErrorCode.fromWire(((ReplyException) t).failureCode());
  }
}
