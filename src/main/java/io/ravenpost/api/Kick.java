package io.ravenpost.api;

import io.vertx.core.json.JsonObject;

/**
 * To a gate address ({@link Addresses#gate}), header {@link Headers#ACTION} = {@link #ACTION}:
 * tell that session why, close it and release its registry entry; answered {@code {released}}
 * once the entry is released.
 */
public record Kick(long uid, String sessionId, KickReason reason) {
  public static final String ACTION = "kick";

  public JsonObject toJson() {
    return new JsonObject().put("uid", uid).put("sessionId", sessionId).put("reason", reason.name());
  }

  public static Kick fromJson(JsonObject o) {
    return new Kick(o.getLong("uid"), o.getString("sessionId"), KickReason.parse(o.getString("reason"), KickReason.ADMIN));
  }
}
