package io.ravenpost.gate;

import io.ravenpost.common.FrameCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A blocking TCP client of the gate (4-byte length + msgpack), for tests that need to see frames
 * in the exact order they arrive, or to stop reading on purpose.
 */
final class RawTcp implements AutoCloseable {
  final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  RawTcp(int port, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
  }

  void write(JsonObject frame) throws IOException {
    Buffer b = FrameCodec.encodeMsgpack(frame);
    out.write(Buffer.buffer().appendInt(b.length()).appendBuffer(b).getBytes());
    out.flush();
  }

  JsonObject read() throws IOException {
    byte[] frame = new byte[in.readInt()];
    in.readFully(frame);
    return FrameCodec.decodeMsgpack(Buffer.buffer(frame));
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
