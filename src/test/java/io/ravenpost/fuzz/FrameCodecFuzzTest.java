package io.ravenpost.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.ravenpost.common.FrameCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;

/**
 * The frame decoder on its own, where inputs are cheap: whatever bytes arrive, decoding answers a
 * frame or a {@code BAD_REQUEST}, never another exception (which would reach the connection) and
 * never an allocation sized by what the input claims rather than what it holds. 40,000 inputs per
 * encoding from a fixed seed; jqwik prints the seed of a failing run.
 */
class FrameCodecFuzzTest {
  private static final List<String> TOKENS = List.of("eyJhbGciOiJIUzI1NiJ9.e30.x", "a.b.c");

  static {
    // Class loading on the first decode of each kind is not the input's cost.
    for (int i = 0; i < 2; i++) {
      decodeBounded(new byte[] {'{', '}'}, FrameCodec::decodeJson);
      decodeBounded(new byte[] {'{'}, FrameCodec::decodeJson);
      decodeBounded(new byte[] {(byte) 0x80}, FrameCodec::decodeMsgpack);
      decodeBounded(new byte[] {(byte) 0x81}, FrameCodec::decodeMsgpack);
    }
  }

  @Property(tries = 40_000, seed = "20261205", shrinking = ShrinkingMode.OFF)
  void jsonFramesDecodeOrAreBadRequest(@ForAll("randoms") Random r) {
    byte[] in = r.nextInt(200) == 0 ? FrameInputs.deep(r, false) : FrameInputs.json(r, TOKENS);
    assertDecodesOrRefuses(in, FrameCodec::decodeJson);
  }

  @Property(tries = 40_000, seed = "20261206", shrinking = ShrinkingMode.OFF)
  void msgpackFramesDecodeOrAreBadRequest(@ForAll("randoms") Random r) {
    byte[] in = r.nextInt(200) == 0 ? FrameInputs.deep(r, true) : FrameInputs.msgpack(r, TOKENS);
    assertDecodesOrRefuses(in, FrameCodec::decodeMsgpack);
  }

  /** An 8-byte frame that claims a 64 MiB binary must not make the decoder allocate 64 MiB. */
  @Example
  void aBinaryHeaderPastTheEndOfTheFrameIsBadRequest() {
    for (String hex : new String[] {"81a161c603fffff0", "81a161c67ffffff0", "81a161c640000000", "81a161c5ffff00"}) {
      assertRefused(HexFormat.of().parseHex(hex), FrameCodec::decodeMsgpack);
    }
  }

  /** Nesting past {@link FrameCodec#MAX_DEPTH} is refused in JSON as it is in msgpack, even when well formed. */
  @Example
  void deepButWellFormedFramesAreBadRequestInBothEncodings() {
    for (int depth : new int[] {FrameCodec.MAX_DEPTH + 2, 200, 900}) {
      String json = "{\"id\":1,\"op\":\"heartbeat\",\"body\":{\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}}";
      assertRefused(json.getBytes(java.nio.charset.StandardCharsets.UTF_8), FrameCodec::decodeJson);
      Buffer msgpack = Buffer.buffer(HexFormat.of().parseHex("81a461626f6479"));
      for (int i = 0; i < depth; i++) {
        msgpack.appendByte((byte) 0x91);
      }
      assertRefused(msgpack.appendByte((byte) 0xc0).getBytes(), FrameCodec::decodeMsgpack);
    }
    String shallow = "{\"id\":1,\"body\":{\"a\":" + "[".repeat(20) + "]".repeat(20) + "}}";
    assertThat(FrameCodec.decodeJson(Buffer.buffer(shallow)).getJsonObject("body")).isNotNull();
  }

  /** The largest frame the gate accepts (64 KiB) of each kind decodes within a small bound. */
  @Example
  void largestFramesDecodeQuickly() {
    Random r = new Random(7);
    byte[] pad = new byte[60 * 1024];
    r.nextBytes(pad);
    JsonObject big = new JsonObject().put("id", 1).put("op", "mail.send")
        .put("body", new JsonObject().put("title", "t").put("body", Base64.getEncoder().encodeToString(pad)
            .substring(0, 60 * 1024)));
    long start = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      assertThat(FrameCodec.decodeJson(FrameCodec.encodeJson(big))).isEqualTo(big);
      assertThat(FrameCodec.decodeMsgpack(FrameCodec.encodeMsgpack(big))).isEqualTo(big);
      assertRefused(FrameInputs.deep(r, true), FrameCodec::decodeMsgpack);
      assertRefused(FrameInputs.deep(r, false), FrameCodec::decodeJson);
    }
    assertThat(System.nanoTime() - start).as("50 rounds of 64 KiB frames, in ns").isLessThan(10_000_000_000L);
  }

  @Provide
  Arbitrary<Random> randoms() {
    return Arbitraries.randoms();
  }

  private static void assertDecodesOrRefuses(byte[] in, Function<Buffer, JsonObject> decode) {
    RavenException refused = decodeBounded(in, decode);
    if (refused != null) {
      assertThat(refused.code()).as(HexFormat.of().formatHex(in)).isEqualTo(ErrorCode.BAD_REQUEST);
    }
  }

  private static void assertRefused(byte[] in, Function<Buffer, JsonObject> decode) {
    RavenException refused = decodeBounded(in, decode);
    assertThat(refused).as("decoding " + HexFormat.of().formatHex(in)).isNotNull();
    assertThat(refused.code()).isEqualTo(ErrorCode.BAD_REQUEST);
  }

  /** Decodes, checking what it cost; null when a frame came out, the refusal otherwise. */
  private static RavenException decodeBounded(byte[] in, Function<Buffer, JsonObject> decode) {
    Buffer b = Buffer.buffer(in);
    long before = allocated();
    RavenException refused = null;
    try {
      if (decode.apply(b) == null) {
        throw new AssertionError("decoding " + HexFormat.of().formatHex(in) + " gave null");
      }
    } catch (RavenException e) {
      refused = e;
    } catch (Throwable t) {
      throw new AssertionError("decoding " + HexFormat.of().formatHex(in) + " threw " + t, t);
    }
    assertBounded(in, allocated() - before);
    return refused;
  }

  /** What a decode may cost in heap: a generous multiple of what the frame holds, never what it claims. */
  private static void assertBounded(byte[] in, long allocatedBytes) {
    long bound = 4L * 1024 * 1024 + 64L * in.length;
    if (allocatedBytes > bound) {
      throw new AssertionError("decoding " + in.length + " bytes (" + HexFormat.of().formatHex(in, 0, Math.min(64, in.length))
          + "...) allocated " + allocatedBytes + " bytes, over " + bound);
    }
  }

  private static long allocated() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }
}
