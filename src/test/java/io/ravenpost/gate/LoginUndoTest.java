package io.ravenpost.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.node.RavenNode;
import io.ravenpost.online.OnlineState;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * A login whose mail side fails answers an error and leaves nothing behind: no registry entry
 * claims the player is online, and the same connection can log in again once mail is back.
 */
class LoginUndoTest {
  @Test
  void aLoginWhoseMailSideFailsIsUndoneAndCanBeRetried() {
    try (TestCluster cluster = TestCluster.start(1, new JsonObject().put("node", new JsonObject()
        .put("roles", new JsonArray().add("gate").add("online").add("admin"))))) {
      RavenNode node = cluster.node(0);
      AtomicBoolean mailDown = new AtomicBoolean(true);
      // Stands in for the mail role of the cluster: down first, then answering.
      MessageConsumer<JsonObject> mail = node.context().vertx().eventBus().consumer(MailAddresses.LOGIN.address(), m -> {
        if (mailDown.get()) {
          m.fail(ErrorCode.UNAVAILABLE.wire(), "mail database unreachable");
        } else {
          m.reply(new JsonObject().put("unread", 3));
        }
      });
      Await.result(mail.completion());
      long uid = TestEnv.randomUid();
      TestClient c = TestClient.ws(node.wsPort());

      assertThat(c.errorOf("auth.login", new JsonObject().put("token", TestTokens.player(uid))))
          .isEqualTo(ErrorCode.UNAVAILABLE);
      OnlineState registry = node.online();
      Poll.until("the entry is given back", 5000, () -> Await.result(registry.lookup(uid)) == null);
      assertThat(c.errorOf("mail.unread", new JsonObject())).isEqualTo(ErrorCode.NOT_AUTHENTICATED);

      mailDown.set(false);
      JsonObject again = c.loginSync(TestTokens.player(uid));
      assertThat(again.getLong("unread")).isEqualTo(3);
      assertThat(Await.result(registry.lookup(uid)).sessionId()).isEqualTo(again.getString("sessionId"));
      c.close();
    }
  }

  @Test
  void aRetryTheMomentAnUndoneLoginIsAnsweredKeepsItsEntry() {
    try (TestCluster cluster = TestCluster.start(1, new JsonObject().put("node", new JsonObject()
        .put("roles", new JsonArray().add("gate").add("online").add("admin"))))) {
      RavenNode node = cluster.node(0);
      AtomicBoolean failNext = new AtomicBoolean();
      MessageConsumer<JsonObject> mail = node.context().vertx().eventBus().consumer(MailAddresses.LOGIN.address(), m -> {
        if (failNext.getAndSet(false)) {
          m.fail(ErrorCode.UNAVAILABLE.wire(), "mail database unreachable");
        } else {
          m.reply(new JsonObject().put("unread", 0));
        }
      });
      Await.result(mail.completion());
      OnlineState registry = node.online();
      for (int i = 0; i < 20; i++) {
        long uid = TestEnv.randomUid();
        TestClient c = TestClient.ws(node.wsPort());
        failNext.set(true);
        assertThat(c.errorOf("auth.login", new JsonObject().put("token", TestTokens.player(uid))))
            .isEqualTo(ErrorCode.UNAVAILABLE);
        assertThat(Await.result(registry.lookup(uid))).as("the undone login's entry is gone when it is answered")
            .isNull();
        String session = c.loginSync(TestTokens.player(uid)).getString("sessionId");
        assertThat(c.callSync("heartbeat", new JsonObject()).getLong("serverTime")).isPositive();
        assertThat(Await.result(registry.lookup(uid))).as("round %d: the retry's entry", i).isNotNull()
            .extracting(e -> e.sessionId()).isEqualTo(session);
        c.close();
      }
    }
  }
}
