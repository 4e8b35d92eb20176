package io.ravenpost.api;

import io.vertx.core.json.JsonObject;

/**
 * Published on {@link Addresses#ONLINE_CHANGED} when a session became the owner of a uid
 * ({@code online} true) or a uid went offline. {@code node} and {@code sessionId} name the session;
 * for players of a dead node swept by the scheduler they name the dead node's session.
 */
public record OnlineChanged(long uid, boolean online, String node, String sessionId, long at) {
  public JsonObject toJson() {
    return new JsonObject().put("uid", uid).put("online", online).put("node", node).put("sessionId", sessionId)
        .put("at", at);
  }

  public static OnlineChanged fromJson(JsonObject o) {
    return new OnlineChanged(o.getLong("uid"), o.getBoolean("online", false), o.getString("node"),
        o.getString("sessionId"), o.getLong("at", 0L));
  }
}
