package io.ravenpost.common;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a verified token says about its bearer.
 *
 * @param locale the canonical BCP 47 tag mail is shown in, or null (a tag that is not well-formed counts as none)
 */
public record Claims(long uid, String role, String name, Long createdAt, String zone, Integer level,
                     List<String> tags, String locale) {
  public static final String PLAYER = "player";
  public static final String SERVICE = "service";
  public static final String ADMIN = "admin";

  /** The same bearer reading mail in {@code tag} (the login's own {@code locale}). */
  public Claims withLocale(String tag) {
    return new Claims(uid, role, name, createdAt, zone, level, tags, tag);
  }

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
    if (locale != null) {
      o.put("locale", locale);
    }
    return o;
  }
}
