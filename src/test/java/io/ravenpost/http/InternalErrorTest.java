package io.ravenpost.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A failure nobody planned for (here: the mailbox table is gone) answers INTERNAL with a request
 * id, never the exception's text, which named the database and table before; the text is in the
 * node's log under that id, for the operator the player quotes it to.
 */
class InternalErrorTest {
  private static final String RAW = "doesn't exist";

  @Test
  void internalErrorsCarryARequestIdAndNoInternals() {
    List<String> log = new CopyOnWriteArrayList<>();
    AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
      @Override
      protected void append(ILoggingEvent e) {
        log.add(e.getFormattedMessage());
      }
    };
    LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
    capture.setContext(lc);
    capture.start();
    Logger root = lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(capture);
    try (Scratch db = new Scratch(); TestCluster cluster = TestCluster.start(1, db.overrides(new JsonObject()))) {
      long uid = TestEnv.randomUid();
      TestClient player = TestClient.ws(cluster.node(0).wsPort());
      player.loginSync(TestTokens.player(uid));
      db.execute("RENAME TABLE mailbox TO mailbox_gone");

      JsonObject reply = Await.result(player.request("mail.list", new JsonObject()));
      JsonObject error = reply.getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("INTERNAL");
      assertThat(error.getString("message")).doesNotContain(RAW).doesNotContain(db.name);
      String frameRequest = error.getString("requestId");
      assertThat(frameRequest).isNotBlank();
      assertThat(error.getString("message")).contains(frameRequest);

      TestHttp.Response r = TestHttp.send(cluster.node(0).adminPort(), "GET", "/admin/users/" + uid + "/mail",
          TestTokens.admin(), null, Map.of("X-Request-Id", "internal-test-1"));
      assertThat(r.status()).isEqualTo(500);
      assertThat(r.body()).doesNotContain(RAW).doesNotContain(db.name);
      assertThat(r.json().getJsonObject("error").getString("requestId")).isEqualTo("internal-test-1");

      assertThat(log).as("the raw failure is logged under each request id")
          .anyMatch(l -> l.contains(frameRequest) && l.contains(RAW))
          .anyMatch(l -> l.contains("internal-test-1") && l.contains(RAW));
      db.execute("RENAME TABLE mailbox_gone TO mailbox");
    } finally {
      root.detachAppender(capture);
    }
  }
}
