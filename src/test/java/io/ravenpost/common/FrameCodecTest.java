package io.ravenpost.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Fields;
import io.ravenpost.api.RavenException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessagePack;

class FrameCodecTest {
  private static final JsonObject SAMPLE = new JsonObject().put("id", 7).put("op", "mail.list")
      .put("body", new JsonObject().put("limit", 20).put("cursor", (Object) null)
          .put("known", new JsonObject().put("42", true)).put("ratio", 0.5)
          .put("uids", new JsonArray().add(1).add(Long.MAX_VALUE)).put("name", "玩家"));

  @Test
  void jsonRoundTrip() {
    assertThat(FrameCodec.decodeJson(FrameCodec.encodeJson(SAMPLE))).isEqualTo(SAMPLE);
  }

  @Test
  void msgpackRoundTripKeepsTheShape() {
    JsonObject back = FrameCodec.decodeMsgpack(FrameCodec.encodeMsgpack(SAMPLE));
    assertThat(back.getLong("id")).isEqualTo(7L);
    assertThat(back.getString("op")).isEqualTo("mail.list");
    JsonObject body = back.getJsonObject("body");
    assertThat(body.getLong("limit")).isEqualTo(20L);
    assertThat(body.containsKey("cursor")).isTrue();
    assertThat(body.getValue("cursor")).isNull();
    assertThat(body.getJsonObject("known").getBoolean("42")).isTrue();
    assertThat(body.getDouble("ratio")).isEqualTo(0.5);
    assertThat(body.getJsonArray("uids").getLong(1)).isEqualTo(Long.MAX_VALUE);
    assertThat(body.getString("name")).isEqualTo("玩家");
  }

  @Test
  void truncatedMsgpackIsBadRequest() {
    Buffer full = FrameCodec.encodeMsgpack(SAMPLE);
    for (int cut : new int[] {1, 5, full.length() / 2, full.length() - 1}) {
      assertBad(() -> FrameCodec.decodeMsgpack(full.slice(0, cut)));
    }
  }

  @Test
  void nonMapTopLevelAndTrailingBytesAreBadRequest() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packArrayHeader(1).packInt(1);
    assertBad(() -> FrameCodec.decodeMsgpack(Buffer.buffer(p.toByteArray())));
    Buffer trailing = FrameCodec.encodeMsgpack(new JsonObject().put("a", 1)).appendByte((byte) 0x01);
    assertBad(() -> FrameCodec.decodeMsgpack(trailing));
    assertBad(() -> FrameCodec.decodeMsgpack(Buffer.buffer()));
    assertBad(() -> FrameCodec.decodeJson(Buffer.buffer("\"just a string\"")));
    assertBad(() -> FrameCodec.decodeJson(Buffer.buffer("{\"a\":")));
  }

  @Test
  void deepNestingIsRefusedNotAStackOverflow() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    for (int i = 0; i < 10_000; i++) {
      p.packMapHeader(1).packString("a");
    }
    p.packNil();
    assertBad(() -> FrameCodec.decodeMsgpack(Buffer.buffer(p.toByteArray())));
  }

  @Test
  void nonStringMapKeysAndExtensionTypesAreRefused() throws IOException {
    MessageBufferPacker p = MessagePack.newDefaultBufferPacker();
    p.packMapHeader(1).packBoolean(true).packInt(1);
    assertBad(() -> FrameCodec.decodeMsgpack(Buffer.buffer(p.toByteArray())));
    MessageBufferPacker ext = MessagePack.newDefaultBufferPacker();
    ext.packMapHeader(1).packString("x").packExtensionTypeHeader((byte) 1, 1).writePayload(new byte[] {1});
    assertBad(() -> FrameCodec.decodeMsgpack(Buffer.buffer(ext.toByteArray())));
  }

  @Test
  void wrongTypedFieldsNameTheField() {
    JsonObject body = new JsonObject().put("mailId", "abc").put("title", 5).put("limit", 1000);
    assertThatThrownBy(() -> Fields.requireLong(body, "mailId")).hasMessageContaining("mailId");
    assertThatThrownBy(() -> Fields.optString(body, "title", 10)).hasMessageContaining("title");
    assertThatThrownBy(() -> Fields.longInRange(body, "limit", 20, 1, 100)).hasMessageContaining("limit");
    assertThatThrownBy(() -> Fields.requireLong(body, "missing")).hasMessageContaining("missing");
    assertThat(Fields.longInRange(new JsonObject(), "limit", 20, 1, 100)).isEqualTo(20);
  }

  private static void assertBad(Runnable r) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(RavenException.class,
        e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
  }
}
