package io.ravenpost.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mail stored while a player logs in is pushed once the session owns its entry; the client still
 * reads its login reply first, then those pushes, never a push before it knows it is logged in.
 */
class LoginReplyFirstTest {
  @Test
  void pushesDuringALoginFollowItsReply() throws Exception {
    try (TestCluster cluster = TestCluster.start(1)) {
      RavenNode node = cluster.node(0);
      for (int round = 0; round < 5; round++) {
        long uid = TestEnv.randomUid();
        List<Future<?>> sends = new ArrayList<>();
        try (RawTcp raw = new RawTcp(node.tcpPort(), 0)) {
          for (int i = 0; i < 40; i++) {
            sends.add(node.context().vertx().eventBus().request(MailAddresses.ADMIN_SEND.address(), new JsonObject()
                .put("target", new JsonObject().put("type", "users").put("uids", new JsonArray().add(uid)))
                .put("title", "during login " + i).put("body", "b")));
          }
          raw.write(new JsonObject().put("id", 1).put("op", "auth.login")
              .put("body", new JsonObject().put("token", TestTokens.player(uid))));
          JsonObject first = raw.read();
          assertThat(first.getLong("id")).as("round %d: the first frame is the login reply: %s", round, first.encode())
              .isEqualTo(1L);
          assertThat(first.getBoolean("ok")).isTrue();
          Await.result(Future.all(sends), 30_000);
        }
      }
    }
  }
}
