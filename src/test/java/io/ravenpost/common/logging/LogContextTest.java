package io.ravenpost.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Every line written while serving a request carries its request context in the MDC: an admin
 * request's id and actor on the access log and on the mail role's lines across the event bus, a
 * client frame's uid and session on the gate's; and JSON lines carry the same through Logback's
 * JsonEncoder.
 */
class LogContextTest {
  record Line(String logger, String message, Map<String, String> mdc, String json) {
  }

  /** Captures each event on the thread that logs it (the MDC is per thread), encoded as JSON too. */
  static final class Capture extends AppenderBase<ILoggingEvent> {
    final List<Line> lines = new CopyOnWriteArrayList<>();
    JsonEncoder json;

    @Override
    protected void append(ILoggingEvent e) {
      lines.add(new Line(e.getLoggerName(), e.getFormattedMessage(), Map.copyOf(e.getMDCPropertyMap()),
          new String(json.encode(e), StandardCharsets.UTF_8)));
    }
  }

  private static final List<String> DEBUG_LOGGERS = List.of("io.ravenpost.mail.send.PersonalDelivery",
      "io.ravenpost.gate.GateOps");
  static TestCluster cluster;
  static Capture capture;
  static Logger root;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1);
    LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
    capture = new Capture();
    capture.setContext(lc);
    capture.json = Logging.jsonEncoder(lc);
    capture.start();
    root = lc.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.addAppender(capture);
    // The lines these tests follow are per request, so DEBUG in production: switched on here.
    for (String name : DEBUG_LOGGERS) {
      lc.getLogger(name).setLevel(Level.DEBUG);
    }
  }

  @AfterAll
  static void stop() {
    LoggerContext lc = (LoggerContext) LoggerFactory.getILoggerFactory();
    for (String name : DEBUG_LOGGERS) {
      lc.getLogger(name).setLevel(null);
    }
    root.detachAppender(capture);
    cluster.close();
  }

  @Test
  void anAdminRequestsIdFollowsItAcrossTheEventBus() {
    String id = "log-" + Long.toHexString(System.nanoTime());
    long uid = TestEnv.randomUid();
    JsonObject mail = new JsonObject().put("target", new JsonObject().put("type", "users")
        .put("uids", new JsonArray().add(uid))).put("title", "logged").put("body", "b");
    TestHttp.Response r = TestHttp.send(cluster.node(0).adminPort(), "POST", "/admin/mail", TestTokens.admin(), mail,
        Map.of("X-Request-Id", id));
    assertThat(r.status()).isEqualTo(201);
    assertThat(r.headers().get("x-request-id")).containsExactly(id);

    Line access = Poll.until("the access log line", 5000, () -> find("io.ravenpost.access", id));
    assertThat(access.mdc()).containsEntry("node", cluster.node(0).nodeId()).containsEntry("actor", "token:1");
    assertThat(access.message()).contains("POST /admin/mail 201");
    Line sent = Poll.until("the mail role's line", 5000, () -> find("io.ravenpost.mail.send.PersonalDelivery", id));
    assertThat(sent.message()).contains("uid=" + uid);
    assertThat(sent.mdc()).as("the request id and actor crossed the event bus").containsEntry("actor", "token:1");
    assertThat(find("io.ravenpost.audit", id)).as("the audit line").isNotNull();

    JsonObject json = new JsonObject(sent.json());
    assertThat(json.getString("level")).isEqualTo("DEBUG");
    assertThat(json.getString("formattedMessage")).contains("uid=" + uid);
    assertThat(json.getJsonObject("mdc").getString("requestId")).isEqualTo(id);
    assertThat(new JsonObject(access.json()).getJsonArray("kvpList").encode()).contains("\"status\"");
  }

  @Test
  void aClientFramesLinesCarryUidAndSession() {
    long uid = TestEnv.randomUid();
    TestClient c = TestClient.ws(cluster.node(0).wsPort());
    try {
      String session = c.loginSync(TestTokens.player(uid)).getString("sessionId");
      Line login = Poll.until("the login line", 5000, () -> capture.lines.stream()
          .filter(l -> l.message().startsWith("login") && session.equals(l.mdc().get("session")))
          .findFirst().orElse(null));
      assertThat(login.mdc()).containsEntry("uid", Long.toString(uid)).containsEntry("node", cluster.node(0).nodeId());
      assertThat(login.mdc().get("requestId")).startsWith(session + ":");
    } finally {
      c.close();
    }
  }

  private static Line find(String logger, String requestId) {
    return capture.lines.stream().filter(l -> l.logger().equals(logger) && requestId.equals(l.mdc().get("requestId")))
        .findFirst().orElse(null);
  }
}
