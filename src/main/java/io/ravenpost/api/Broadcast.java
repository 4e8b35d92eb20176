package io.ravenpost.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * To a gate address ({@link Addresses#gate}), header {@link Headers#ACTION} = {@link #ACTION}: an
 * {@code online} global mail, sent once to every gate node. The gate records which of its sessions
 * were online at {@code createdAt} ({@link Addresses#GLOBAL_RECIPIENTS}), then pushes {@code mail.new}
 * to them: {@code summary} with {@code mailId} = {@code mailIds[shard of the player]}, the id the
 * player's copy gets when it is written. Answered {@code {players}} once recorded.
 */
public record Broadcast(long globalMailId, long createdAt, long visibleAt, JsonObject summary, JsonArray mailIds) {
  public static final String ACTION = "broadcast";

  public JsonObject toJson() {
    return new JsonObject().put("globalMailId", globalMailId).put("createdAt", createdAt).put("visibleAt", visibleAt)
        .put("summary", summary).put("mailIds", mailIds);
  }

  public static Broadcast fromJson(JsonObject o) {
    return new Broadcast(o.getLong("globalMailId"), o.getLong("createdAt"), o.getLong("visibleAt"),
        o.getJsonObject("summary"), o.getJsonArray("mailIds"));
  }
}
