package io.ravenpost.common;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;

/**
 * One codec for every client transport: a frame is one object, carried as JSON text or as
 * msgpack of the same shape. Decoding never trusts the input: wrong types, truncation, trailing
 * bytes and absurd nesting are BAD_REQUEST, never an exception that reaches the connection.
 */
public final class FrameCodec {
  public static final int MAX_DEPTH = 32;
  // msgpack's default packer starts with an 8 KB buffer: allocated and zeroed for every frame, most of
  // them under 200 bytes. A small start grows when a frame needs it.
  private static final MessagePack.PackerConfig PACKER = new MessagePack.PackerConfig().withBufferSize(256);

  private FrameCodec() {
  }

  public static JsonObject decodeJson(Buffer buf) {
    try {
      Object v = io.vertx.core.json.Json.decodeValue(buf);
      if (v instanceof JsonObject o) {
        // Jackson allows 1,000 levels; a JSON frame gets the same bound as a msgpack one.
        checkDepth(o, 0);
        return o;
      }
      throw new RavenException(ErrorCode.BAD_REQUEST, "a frame must be a JSON object");
    } catch (DecodeException e) {
      throw new RavenException(ErrorCode.BAD_REQUEST, "malformed JSON frame");
    }
  }

  private static void checkDepth(Object v, int depth) {
    if (depth > MAX_DEPTH) {
      throw new RavenException(ErrorCode.BAD_REQUEST, "frame nested deeper than " + MAX_DEPTH);
    }
    Iterable<?> children = v instanceof JsonObject o ? o.getMap().values()
        : v instanceof Map<?, ?> m ? m.values()
        : v instanceof JsonArray a ? a.getList()
        : v instanceof java.util.List<?> l ? l : null;
    if (children != null) {
      for (Object c : children) {
        checkDepth(c, depth + 1);
      }
    }
  }

  public static Buffer encodeJson(JsonObject frame) {
    return frame.toBuffer();
  }

  public static JsonObject decodeMsgpack(Buffer buf) {
    try (MessageUnpacker in = MessagePack.newDefaultUnpacker(buf.getBytes())) {
      if (!in.hasNext() || in.getNextFormat().getValueType() != org.msgpack.value.ValueType.MAP) {
        throw new RavenException(ErrorCode.BAD_REQUEST, "a frame must be a msgpack map");
      }
      JsonObject o = (JsonObject) read(in, 0, buf.length());
      if (in.hasNext()) {
        throw new RavenException(ErrorCode.BAD_REQUEST, "trailing bytes after the msgpack frame");
      }
      return o;
    } catch (IOException | RuntimeException e) {
      if (e instanceof RavenException r) {
        throw r;
      }
      throw new RavenException(ErrorCode.BAD_REQUEST, "malformed msgpack frame");
    }
  }

  public static Buffer encodeMsgpack(JsonObject frame) {
    try (MessageBufferPacker out = PACKER.newBufferPacker()) {
      write(out, frame);
      return Buffer.buffer(out.toByteArray());
    } catch (IOException e) {
      throw new RavenException(ErrorCode.INTERNAL, "cannot encode msgpack: " + e.getMessage());
    }
  }

  private static Object read(MessageUnpacker in, int depth, long size) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new RavenException(ErrorCode.BAD_REQUEST, "frame nested deeper than " + MAX_DEPTH);
    }
    MessageFormat f = in.getNextFormat();
    switch (f.getValueType()) {
      case NIL:
        in.unpackNil();
        return null;
      case BOOLEAN:
        return in.unpackBoolean();
      case INTEGER:
        if (f == MessageFormat.UINT64) {
          java.math.BigInteger b = in.unpackBigInteger();
          if (b.bitLength() > 63) {
            throw new RavenException(ErrorCode.BAD_REQUEST, "integer out of int64 range");
          }
          return b.longValue();
        }
        return in.unpackLong();
      case FLOAT:
        return in.unpackDouble();
      case STRING:
        return in.unpackString();
      case BINARY: {
        // msgpack-core allocates a payload of the claimed length up front (up to 64 MiB): a few
        // header bytes must not buy that much heap, so the claim is checked against the frame.
        int len = in.unpackBinaryHeader();
        if (len > size - in.getTotalReadBytes()) {
          throw new RavenException(ErrorCode.BAD_REQUEST, "binary of " + len + " bytes runs past the frame");
        }
        return in.readPayload(len);
      }
      case ARRAY: {
        int n = in.unpackArrayHeader();
        JsonArray a = new JsonArray();
        for (int i = 0; i < n; i++) {
          a.add(read(in, depth + 1, size));
        }
        return a;
      }
      case MAP: {
        int n = in.unpackMapHeader();
        JsonObject o = new JsonObject();
        for (int i = 0; i < n; i++) {
          MessageFormat kf = in.getNextFormat();
          String key;
          if (kf.getValueType() == org.msgpack.value.ValueType.STRING) {
            key = in.unpackString();
          } else if (kf.getValueType() == org.msgpack.value.ValueType.INTEGER) {
            key = Long.toString(in.unpackLong());
          } else {
            throw new RavenException(ErrorCode.BAD_REQUEST, "map keys must be strings");
          }
          o.put(key, read(in, depth + 1, size));
        }
        return o;
      }
      default:
        throw new RavenException(ErrorCode.BAD_REQUEST, "unsupported msgpack type " + f.getValueType());
    }
  }

  @SuppressWarnings("unchecked")
  private static void write(MessageBufferPacker out, Object v) throws IOException {
    if (v == null) {
      out.packNil();
    } else if (v instanceof JsonObject o) {
      writeMap(out, o.getMap());
    } else if (v instanceof Map<?, ?> m) {
      writeMap(out, (Map<String, Object>) m);
    } else if (v instanceof JsonArray a) {
      out.packArrayHeader(a.size());
      for (Object e : a.getList()) {
        write(out, e);
      }
    } else if (v instanceof java.util.List<?> l) {
      out.packArrayHeader(l.size());
      for (Object e : l) {
        write(out, e);
      }
    } else if (v instanceof String s) {
      out.packString(s);
    } else if (v instanceof Boolean b) {
      out.packBoolean(b);
    } else if (v instanceof Double || v instanceof Float) {
      out.packDouble(((Number) v).doubleValue());
    } else if (v instanceof Number n) {
      out.packLong(n.longValue());
    } else if (v instanceof byte[] b) {
      out.packBinaryHeader(b.length);
      out.writePayload(b);
    } else if (v instanceof Buffer b) {
      byte[] bytes = b.getBytes();
      out.packBinaryHeader(bytes.length);
      out.writePayload(bytes);
    } else {
      out.packString(v.toString());
    }
  }

  private static void writeMap(MessageBufferPacker out, Map<String, Object> m) throws IOException {
    out.packMapHeader(m.size());
    for (Map.Entry<String, Object> e : m.entrySet()) {
      out.packString(e.getKey());
      write(out, e.getValue());
    }
  }
}
