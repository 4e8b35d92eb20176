package io.ravenpost.api.gate;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.ravenpost.api.Headers;
import io.vertx.core.json.JsonObject;

/**
 * To a gate address, action {@link GateAction#PUSH}: write {@code frame} to session
 * {@code sessionId} if it is still online there. Not answered.
 */
public record Push(String sessionId, JsonObject frame) {
  public static final Codec<Push> CODEC = Codec.withHeaders(Push::toJson,
      (p, o) -> o.addHeader(Headers.ACTION, GateAction.PUSH.wire()), (j, h) -> fromJson(j));

  public JsonObject toJson() {
    return new JsonObject().put("sessionId", sessionId).put("frame", frame);
  }

  public static Push fromJson(JsonObject o) {
    return new Push(Fields.requireString(o, "sessionId", 64), Fields.optObject(o, "frame"));
  }
}
