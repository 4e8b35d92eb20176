package io.ravenpost.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/**
 * A WebSocket client written on a plain socket, so a test can send what no WebSocket library
 * will: text that is not UTF-8, reserved opcodes and bits, unmasked frames, lengths of 2^62.
 */
final class RawWs implements AutoCloseable {
  static final int CONTINUATION = 0;
  static final int TEXT = 1;
  static final int BINARY = 2;
  static final int CLOSE = 8;
  static final int PING = 9;
  static final int PONG = 10;

  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  RawWs(int port, Random r) throws IOException {
    socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(5000);
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
    byte[] key = new byte[16];
    r.nextBytes(key);
    out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      head.write(in.readUnsignedByte());
    }
    if (!head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101")) {
      throw new IOException("no upgrade: " + head);
    }
  }

  /** One frame; {@code rsv} goes in bits 4-6 of the first byte, {@code declaredLength} < 0 means the payload's. */
  void frame(boolean fin, int rsv, int opcode, boolean masked, byte[] payload, long declaredLength) throws IOException {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write((fin ? 0x80 : 0) | (rsv & 7) << 4 | (opcode & 0xf));
    long len = declaredLength < 0 ? payload.length : declaredLength;
    int maskBit = masked ? 0x80 : 0;
    if (len < 126) {
      f.write(maskBit | (int) len);
    } else if (len < 65536) {
      f.write(maskBit | 126);
      f.write((int) (len >>> 8));
      f.write((int) len);
    } else {
      f.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) (len >>> shift));
      }
    }
    byte[] mask = {0x11, 0x22, 0x33, 0x44};
    if (masked) {
      f.write(mask);
    }
    for (int i = 0; i < payload.length; i++) {
      f.write(masked ? payload[i] ^ mask[i & 3] : payload[i]);
    }
    out.write(f.toByteArray());
    out.flush();
  }

  /**
   * The next data frame's opcode and payload, skipping pongs; {@code {CLOSE}} once the server
   * closes (close frame, end of stream or reset); null if nothing came within the socket timeout.
   */
  Object[] next() throws IOException {
    try {
      while (true) {
        int b0 = in.readUnsignedByte();
        int b1 = in.readUnsignedByte();
        long len = b1 & 0x7f;
        if (len == 126) {
          len = in.readUnsignedShort();
        } else if (len == 127) {
          len = in.readLong();
        }
        byte[] payload = new byte[(int) len];
        in.readFully(payload);
        int opcode = b0 & 0xf;
        if (opcode != PONG) {
          return new Object[] {opcode, payload};
        }
      }
    } catch (EOFException | java.net.SocketException closed) {
      return new Object[] {CLOSE, new byte[0]};
    } catch (SocketTimeoutException silent) {
      return null;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
