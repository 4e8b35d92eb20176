package io.ravenpost.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** What a verified token says about its bearer. */
public record Claims(long uid, String role, String name, Long createdAt, String zone, Integer level,
                     List<String> tags) {
  public static final String PLAYER = "player";
  public static final String SERVICE = "service";
  public static final String ADMIN = "admin";

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("uid", uid).put("role", role);
    if (name != null) {
      o.put("name", name);
    }
    if (createdAt != null) {
      o.put("createdAt", createdAt);
    }
    if (zone != null) {
      o.put("zone", zone);
    }
    if (level != null) {
      o.put("level", level);
    }
    if (tags != null) {
      o.put("tags", new JsonArray(tags));
    }
    return o;
  }
}
