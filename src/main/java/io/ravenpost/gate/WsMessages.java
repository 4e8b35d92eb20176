package io.ravenpost.gate;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketFrame;
import java.util.function.IntSupplier;

/**
 * Joins a WebSocket message's fragments. Vert.x's own joining drops a message whose first
 * fragment is empty (RFC 6455 allows it; GateFuzzTest found it): here a message is tracked by its
 * first frame's type, not by how many bytes it has so far. A message past the limit (small before
 * login) closes with 1009, a stray continuation with 1002.
 */
final class WsMessages implements Handler<WebSocketFrame> {
  /** A whole message and whether it was binary. */
  interface Sink {
    void message(Buffer data, boolean binary);
  }

  /** Closes the socket with a status and reason. */
  interface Closer {
    void close(short status, String reason);
  }

  private final IntSupplier limit;
  private final Sink sink;
  private final Closer closer;
  private Buffer partial;
  private boolean binary;
  private boolean done;

  WsMessages(IntSupplier limit, Sink sink, Closer closer) {
    this.limit = limit;
    this.sink = sink;
    this.closer = closer;
  }

  @Override
  public void handle(WebSocketFrame frame) {
    if (done || !(frame.isText() || frame.isBinary() || frame.isContinuation())) {
      return;
    }
    if (frame.isContinuation() == (partial == null)) {
      fail((short) 1002, frame.isContinuation() ? "continuation without a message" : "new message inside a message");
      return;
    }
    Buffer data = frame.binaryData();
    if (partial == null) {
      if (frame.isFinal()) {
        deliver(data, frame.isBinary());
        return;
      }
      partial = Buffer.buffer();
      binary = frame.isBinary();
    }
    partial.appendBuffer(data);
    if (partial.length() > limit.getAsInt()) {
      fail((short) 1009, "message larger than " + limit.getAsInt() + " bytes");
      return;
    }
    if (frame.isFinal()) {
      Buffer whole = partial;
      partial = null;
      deliver(whole, binary);
    }
  }

  private void deliver(Buffer data, boolean isBinary) {
    if (data.length() > limit.getAsInt()) {
      fail((short) 1009, "message larger than " + limit.getAsInt() + " bytes");
      return;
    }
    sink.message(data, isBinary);
  }

  private void fail(short status, String reason) {
    done = true;
    partial = null;
    closer.close(status, reason);
  }
}
