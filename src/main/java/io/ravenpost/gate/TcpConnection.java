package io.ravenpost.gate;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.parsetools.RecordParser;
import java.util.function.IntConsumer;
import java.util.function.IntSupplier;

/** TCP frames are a 4-byte big-endian length followed by msgpack; there is no text form. */
final class TcpConnection implements Connection {
  private final NetSocket socket;

  TcpConnection(NetSocket socket, int maxQueuedBytes) {
    this.socket = socket;
    socket.setWriteQueueMaxSize(maxQueuedBytes);
  }

  /**
   * Reads frames off the socket: {@code onFrame} gets each frame's bytes; a length outside
   * 1..{@code maxBytes} (asked per frame: it grows after login) goes to {@code onBadLength} and reading stops (the caller closes).
   */
  void readFrames(IntSupplier maxBytes, Handler<Buffer> onFrame, IntConsumer onBadLength) {
    RecordParser parser = RecordParser.newFixed(4);
    boolean[] expectingLength = {true};
    parser.handler(buf -> {
      if (expectingLength[0]) {
        int len = buf.getInt(0);
        if (len <= 0 || len > maxBytes.getAsInt()) {
          parser.pause();
          onBadLength.accept(len);
          return;
        }
        expectingLength[0] = false;
        parser.fixedSizeMode(len);
      } else {
        expectingLength[0] = true;
        parser.fixedSizeMode(4);
        onFrame.handle(buf);
      }
    });
    socket.handler(parser);
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
