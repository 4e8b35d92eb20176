package io.ravenpost.api.online;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;

/**
 * Published when a session became the owner of a uid ({@code online} true) or a uid went offline.
 * {@code node} and {@code sessionId} name the session; for players of a dead node swept by the
 * scheduler they name the dead node's session.
 */
public record OnlineChanged(long uid, boolean online, String node, String sessionId, long at) {
  public static final Codec<OnlineChanged> CODEC = Codec.json(OnlineChanged::toJson, OnlineChanged::fromJson);

  public JsonObject toJson() {
    return new JsonObject().put("uid", uid).put("online", online).put("node", node).put("sessionId", sessionId)
        .put("at", at);
  }

  public static OnlineChanged fromJson(JsonObject o) {
    Boolean online = Fields.optBoolean(o, "online");
    return new OnlineChanged(Fields.requireLong(o, "uid"), online != null && online, o.getString("node"),
        o.getString("sessionId"), o.getLong("at", 0L));
  }
}
