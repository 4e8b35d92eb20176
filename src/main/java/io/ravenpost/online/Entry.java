package io.ravenpost.online;

import io.vertx.core.json.JsonObject;

/** One registry entry: which node and session own a uid, since when, under which epoch. */
public record Entry(long uid, String node, String sessionId, long epoch, long since) {

  static Entry parse(long uid, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    String[] p = value.split("\\|");
    if (p.length < 4) {
      return null;
    }
    return new Entry(uid, p[0], p[1], Long.parseLong(p[2]), Long.parseLong(p[3]));
  }

  /** The prefix every compare-and-delete matches: node and session, whatever the epoch. */
  static String owner(String node, String sessionId) {
    return node + "|" + sessionId + "|";
  }

  public JsonObject toJson() {
    return new JsonObject().put("uid", uid).put("node", node).put("sessionId", sessionId)
        .put("epoch", epoch).put("since", since);
  }
}
