package io.ravenpost.api.online;

import io.ravenpost.api.Codec;
import io.vertx.core.json.JsonObject;

/** Where a uid is online: {@code {online, node, sessionId, since}} (only {@code online} when it is not). */
public record OnlineStatus(boolean online, String node, String sessionId, Long since) {
  public static final Codec<OnlineStatus> CODEC = Codec.json(OnlineStatus::toJson,
      j -> new OnlineStatus(j.getBoolean("online", false), j.getString("node"), j.getString("sessionId"),
          j.getLong("since")));

  public static final OnlineStatus OFFLINE = new OnlineStatus(false, null, null, null);

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("online", online);
    if (online) {
      o.put("node", node).put("sessionId", sessionId).put("since", since);
    }
    return o;
  }
}
