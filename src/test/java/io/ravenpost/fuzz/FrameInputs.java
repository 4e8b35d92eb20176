package io.ravenpost.fuzz;

import io.ravenpost.common.FrameCodec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Client frames for fuzzing, from one {@link Random}: structured frames (real ops with bodies of
 * plausible and wrong shapes), their JSON and msgpack encodings damaged by {@link Mutate}, noise,
 * and hand-made msgpack whose headers claim far more than the frame holds.
 */
final class FrameInputs {
  static final List<String> OPS = List.of("auth.login", "heartbeat", "mail.list", "mail.open", "mail.claim",
      "mail.claimAll", "mail.delete", "mail.send", "mail.unread", "presence.watch", "no.such.op", "");
  private static final String[] FIELDS = {"token", "cursor", "limit", "mailId", "to", "title", "body", "uids",
      "known", "waitMs", "name", "id", "op"};
  /**
   * Msgpack that lies about sizes: a binary, string, array or map header far past the frame's end,
   * deep nesting, extension types, a uint64 past int64, keys that are not strings.
   */
  private static final String[] HOSTILE_MSGPACK = {
      "81a161c67ffffff0", "81a161c6ffffffff", "81a161c4ff", "81a161c5ffff00", "81a161db7ffffff0",
      "81a161dbffffffff", "81a161dd7fffffff", "81a161ddffffffff", "df7fffffff", "dfffffffff",
      "81a161c7ff01", "81a161c9ffffffff01", "81a161d60100", "81a161cfffffffffffffffff", "81a161cf8000000000000000",
      "8180c0", "81c0c0", "81cb3ff0000000000000c0", "8191c0c0", "c1", "81a161c1", "80c0", "8000", "",
      "81a2696492c0c0", "82a26f70a9686561727462656174a26964ff", "81a161c640000000"};

  private FrameInputs() {
  }

  /** A request frame: a known op (mostly) with a body of the right shape (mostly). */
  static JsonObject frame(Random r, List<String> tokens) {
    JsonObject f = new JsonObject();
    if (r.nextInt(10) > 0) {
      f.put("id", r.nextInt(8) == 0 ? value(r, 1) : (Object) (long) r.nextInt(1_000_000));
    }
    String op = OPS.get(r.nextInt(OPS.size()));
    f.put("op", r.nextInt(20) == 0 ? value(r, 1) : op);
    if (r.nextInt(8) > 0) {
      f.put("body", r.nextInt(10) == 0 ? value(r, 2) : body(r, op, tokens));
    }
    return f;
  }

  private static JsonObject body(Random r, String op, List<String> tokens) {
    JsonObject b = new JsonObject();
    switch (op) {
      case "auth.login" -> b.put("token",
          tokens.isEmpty() || r.nextInt(4) == 0 ? string(r) : tokens.get(r.nextInt(tokens.size())));
      case "mail.list" -> b.put("cursor", r.nextBoolean() ? null : Long.toString(r.nextLong()))
          .put("limit", r.nextInt(200) - 50);
      case "mail.open", "mail.claim", "mail.delete" ->
          b.put("mailId", r.nextBoolean() ? (Object) r.nextLong() : string(r));
      case "mail.send" -> b.put("to", r.nextBoolean() ? (Object) (long) r.nextInt(1000)
              : new JsonObject().put("name", string(r)))
          .put("title", string(r)).put("body", string(r));
      // Short waits: a fuzz input must not park a watch for the default hold.
      case "presence.watch" -> b.put("uids", new JsonArray().add(r.nextInt(1000)).add(string(r)))
          .put("known", new JsonObject().put(Integer.toString(r.nextInt(1000)), r.nextBoolean()))
          .put("waitMs", r.nextInt(50));
      default -> {
      }
    }
    for (int i = r.nextInt(3); i > 0; i--) {
      b.put(FIELDS[r.nextInt(FIELDS.length)], value(r, 2));
    }
    return b;
  }

  /** Any JSON value, nested up to {@code depth}. */
  static Object value(Random r, int depth) {
    switch (r.nextInt(depth > 0 ? 9 : 7)) {
      case 0:
        return null;
      case 1:
        return r.nextBoolean();
      case 2:
        return new long[] {0, -1, 1, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE + 1L, r.nextLong()}[r.nextInt(7)];
      case 3:
        return new double[] {0.5, -0.0, 1e300, -1e-300, Double.MAX_VALUE, r.nextDouble()}[r.nextInt(6)];
      case 4:
      case 5:
        return string(r);
      case 6:
        return Long.toString(r.nextLong());
      case 7: {
        JsonArray a = new JsonArray();
        for (int i = r.nextInt(4); i > 0; i--) {
          a.add(value(r, depth - 1));
        }
        return a;
      }
      default: {
        JsonObject o = new JsonObject();
        for (int i = r.nextInt(4); i > 0; i--) {
          o.put(r.nextBoolean() ? FIELDS[r.nextInt(FIELDS.length)] : string(r), value(r, depth - 1));
        }
        return o;
      }
    }
  }

  static String string(Random r) {
    switch (r.nextInt(6)) {
      case 0:
        return "";
      case 1:
        return "x".repeat(r.nextInt(300));
      case 2:
        return "\u0000\ud83d\ude00\u202e\"\\/\n";
      case 3:
        return OPS.get(r.nextInt(OPS.size()));
      default: {
        StringBuilder s = new StringBuilder();
        for (int i = r.nextInt(12); i > 0; i--) {
          s.append((char) (r.nextBoolean() ? 32 + r.nextInt(95) : r.nextInt(0xd000)));
        }
        return s.toString();
      }
    }
  }

  /** Bytes for a WebSocket text frame's decoder: mostly damaged JSON frames. */
  static byte[] json(Random r, List<String> tokens) {
    int kind = r.nextInt(10);
    if (kind < 2) {
      return FrameCodec.encodeJson(frame(r, tokens)).getBytes();
    }
    if (kind < 8) {
      return Mutate.bytes(r, FrameCodec.encodeJson(frame(r, tokens)).getBytes(), 6);
    }
    if (kind < 9) {
      return String.valueOf(value(r, 3)).getBytes(StandardCharsets.UTF_8);
    }
    return noise(r);
  }

  /** Bytes for a msgpack decoder (WebSocket binary frames, TCP frame payloads). */
  static byte[] msgpack(Random r, List<String> tokens) {
    int kind = r.nextInt(10);
    if (kind < 2) {
      return FrameCodec.encodeMsgpack(frame(r, tokens)).getBytes();
    }
    if (kind < 7) {
      return Mutate.bytes(r, FrameCodec.encodeMsgpack(frame(r, tokens)).getBytes(), 6);
    }
    if (kind < 9) {
      byte[] hostile = HexFormat.of().parseHex(HOSTILE_MSGPACK[r.nextInt(HOSTILE_MSGPACK.length)]);
      return r.nextBoolean() ? hostile : Mutate.bytes(r, hostile, 2);
    }
    return noise(r);
  }

  /** Nesting far past {@link FrameCodec#MAX_DEPTH}, in either encoding. */
  static byte[] deep(Random r, boolean msgpack) {
    int depth = 33 + r.nextInt(20_000);
    byte[] b = new byte[depth + 4];
    if (msgpack) {
      b[0] = (byte) 0x81;
      b[1] = (byte) 0xa1;
      b[2] = 'a';
      Arrays.fill(b, 3, b.length, (byte) 0x91);
    } else {
      b[0] = '{';
      b[1] = '"';
      b[2] = 'a';
      b[3] = '"';
      Arrays.fill(b, 4, b.length, (byte) '[');
      b[4] = ':';
    }
    return b;
  }

  private static byte[] noise(Random r) {
    byte[] b = new byte[r.nextInt(64)];
    r.nextBytes(b);
    return b;
  }
}
