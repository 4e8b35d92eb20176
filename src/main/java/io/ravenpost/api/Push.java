package io.ravenpost.api;

import io.vertx.core.json.JsonObject;

/**
 * To a gate address ({@link Addresses#gate}), header {@link Headers#ACTION} = {@link #ACTION}:
 * write {@code frame} to session {@code sessionId} if it is still online there. Not answered.
 */
public record Push(String sessionId, JsonObject frame) {
  public static final String ACTION = "push";

  public JsonObject toJson() {
    return new JsonObject().put("sessionId", sessionId).put("frame", frame);
  }

  public static Push fromJson(JsonObject o) {
    return new Push(o.getString("sessionId"), o.getJsonObject("frame"));
  }
}
