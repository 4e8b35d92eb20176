package io.ravenpost.gate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.ravenpost.api.Frames;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * A push can reach a session in the moment after its client went away (a node resuming from a
 * freeze finds many): writing to it must be a no-op, not an IllegalStateException out of the
 * event loop. Failed before the fix with "WebSocket is closed" from {@code writeQueueFull}.
 */
class ClosedWriteTest {
  @Test
  void writingToAClosedWebSocketIsANoOp() {
    Vertx vertx = TestClient.vertx();
    Promise<ServerWebSocket> accepted = Promise.promise();
    Context[] loop = new Context[1];
    Promise<Void> closedOnServer = Promise.promise();
    HttpServer server = vertx.createHttpServer().webSocketHandler(ws -> {
      loop[0] = vertx.getOrCreateContext();
      ws.closeHandler(v -> closedOnServer.tryComplete());
      accepted.complete(ws);
    });
    Await.result(server.listen(0, "127.0.0.1"));
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      var ws = Await.result(client.connect(server.actualPort(), "127.0.0.1", "/ws"));
      ServerWebSocket serverSide = Await.result(accepted.future());
      WsConnection conn = new WsConnection(serverSide, 16 * 1024);
      Session session = new Session("s1", conn, false, 10, loop[0]);
      Await.result(ws.close());
      Await.result(closedOnServer.future());

      Promise<Void> wrote = Promise.promise();
      loop[0].runOnContext(v -> {
        try {
          assertThat(conn.congested()).isFalse();
          conn.write(Buffer.buffer("{}"), false);
          session.send(Frames.push("mail.new", new JsonObject().put("unread", 1)));
          wrote.complete();
        } catch (RuntimeException e) {
          wrote.fail(e);
        }
      });
      assertThatCode(() -> Await.result(wrote.future())).doesNotThrowAnyException();
    } finally {
      Await.result(client.close());
      Await.result(server.close());
    }
  }
}
