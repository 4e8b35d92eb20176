package io.ravenpost.fuzz;

import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * One client connection that sends fuzz inputs as they are and reads what each one got: a reply
 * (ok or an error code), or the connection closing.
 */
final class FuzzClient {
  static final String CLOSED = "closed";
  static final String OK = "ok";

  final TestClient client;

  private FuzzClient(TestClient client) {
    this.client = client;
  }

  static FuzzClient open(int port, TestClient.Mode mode) {
    return new FuzzClient(Await.result(TestClient.connect(port, mode)));
  }

  void send(byte[] bytes, boolean binary) {
    client.sendBytes(Buffer.buffer(bytes), binary);
  }

  /**
   * The next answer: {@link #OK}, the error code, or {@link #CLOSED}; null when none came within
   * {@code timeoutMs}. An answer that breaks the contract goes to {@code tally} with {@code input}.
   */
  String answer(long timeoutMs, Tally tally, String input) {
    long end = System.currentTimeMillis() + timeoutMs;
    while (System.currentTimeMillis() < end) {
      boolean closedBefore = client.isClosed();
      JsonObject reply = client.nextUnmatched(closedBefore ? 0 : 20);
      if (reply != null) {
        return classify(reply, tally, input);
      }
      if (closedBefore) {
        return CLOSED;
      }
    }
    return null;
  }

  private static String classify(JsonObject reply, Tally tally, String input) {
    if (reply.getBoolean("ok", false)) {
      return OK;
    }
    JsonObject error = reply.getValue("error") instanceof JsonObject e ? e : new JsonObject();
    String code = error.getValue("code") instanceof String c ? c : null;
    if (code == null || !Tally.CLIENT_CODES.contains(code)) {
      tally.fail(input + " -> " + reply.encode());
    }
    return String.valueOf(code);
  }

  void close() {
    if (!client.isClosed()) {
      client.close();
    }
  }
}
