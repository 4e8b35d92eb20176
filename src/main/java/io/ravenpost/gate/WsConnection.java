package io.ravenpost.gate;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

final class WsConnection implements Connection {
  private final ServerWebSocket ws;

  WsConnection(ServerWebSocket ws, int maxQueuedBytes) {
    this.ws = ws;
    ws.setWriteQueueMaxSize(maxQueuedBytes);
  }

  /** A push may reach a session whose socket closed a moment ago: that write is dropped, not thrown. */
  @Override
  public void write(Buffer frame, boolean binary) {
    if (ws.isClosed()) {
      return;
    }
    if (binary) {
      ws.writeBinaryMessage(frame);
    } else {
      ws.writeTextMessage(frame.toString());
    }
  }

  @Override
  public boolean congested() {
    // writeQueueFull throws on a closed WebSocket (seen after a node resumed from a freeze).
    return !ws.isClosed() && ws.writeQueueFull();
  }

  @Override
  public void close() {
    ws.close();
  }

  @Override
  public String remote() {
    return String.valueOf(ws.remoteAddress());
  }
}
