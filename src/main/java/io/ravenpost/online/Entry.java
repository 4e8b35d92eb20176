package io.ravenpost.online;

import io.vertx.core.json.JsonObject;

/** One registry entry: which node and session own a uid, since when, under which epoch. */
public record Entry(long uid, String node, String sessionId, long epoch, long since) {

  public JsonObject toJson() {
    return new JsonObject().put("uid", uid).put("node", node).put("sessionId", sessionId)
        .put("epoch", epoch).put("since", since);
  }
}
