package io.ravenpost.gate;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

final class WsConnection implements Connection {
  private final ServerWebSocket ws;

  WsConnection(ServerWebSocket ws, int maxQueuedBytes) {
    this.ws = ws;
    ws.setWriteQueueMaxSize(maxQueuedBytes);
  }

  @Override
  public void write(Buffer frame, boolean binary) {
    if (binary) {
      ws.writeBinaryMessage(frame);
    } else {
      ws.writeTextMessage(frame.toString());
    }
  }

  @Override
  public boolean congested() {
    return ws.writeQueueFull();
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
