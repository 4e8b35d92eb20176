package io.ravenpost.admin;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One HTTP/1.1 request written byte for byte on a socket: the request target goes out exactly as
 * given (no client that normalises {@code %6F}, {@code /./} or {@code //} on our behalf).
 */
final class RawHttp {
  record Answer(int status, String body) {
    JsonObject json() {
      try {
        return body.isEmpty() ? new JsonObject() : new JsonObject(body);
      } catch (RuntimeException e) {
        return new JsonObject();
      }
    }

    String code() {
      return json().getJsonObject("error", new JsonObject()).getString("code");
    }

    String message() {
      return json().getJsonObject("error", new JsonObject()).getString("message", "");
    }
  }

  private RawHttp() {
  }

  static Answer send(int port, String method, String target, Map<String, String> headers, String body) {
    byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    StringBuilder req = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
        .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\n");
    headers.forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
    if (body != null) {
      req.append("Content-Type: application/json\r\nContent-Length: ").append(payload.length).append("\r\n");
    }
    req.append("\r\n");
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(payload);
      out.flush();
      return parse(readAll(s.getInputStream()));
    } catch (IOException e) {
      throw new RuntimeException(method + " " + target + ": " + e, e);
    }
  }

  private static String readAll(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    in.transferTo(buf);
    return buf.toString(StandardCharsets.UTF_8);
  }

  private static Answer parse(String raw) {
    int sp = raw.indexOf(' ');
    int status = Integer.parseInt(raw.substring(sp + 1, sp + 4));
    int head = raw.indexOf("\r\n\r\n");
    String body = head < 0 ? "" : raw.substring(head + 4);
    if (raw.substring(0, Math.max(head, 0)).toLowerCase().contains("transfer-encoding: chunked")) {
      body = unchunk(body);
    }
    return new Answer(status, body);
  }

  private static String unchunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (i < chunked.length()) {
      int eol = chunked.indexOf("\r\n", i);
      int size = Integer.parseInt(chunked.substring(i, eol).trim(), 16);
      if (size == 0) {
        break;
      }
      out.append(chunked, eol + 2, eol + 2 + size);
      i = eol + 2 + size + 2;
    }
    return out.toString();
  }
}
