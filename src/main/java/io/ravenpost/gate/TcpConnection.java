package io.ravenpost.gate;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;

/** TCP frames are a 4-byte big-endian length followed by msgpack; there is no text form. */
final class TcpConnection implements Connection {
  private final NetSocket socket;

  TcpConnection(NetSocket socket) {
    this.socket = socket;
  }

  @Override
  public void write(Buffer frame, boolean binary) {
    Buffer out = Buffer.buffer(4 + frame.length());
    out.appendInt(frame.length()).appendBuffer(frame);
    socket.write(out);
  }

  @Override
  public boolean congested() {
    return socket.writeQueueFull();
  }

  @Override
  public void close() {
    socket.close();
  }

  @Override
  public String remote() {
    return String.valueOf(socket.remoteAddress());
  }
}
