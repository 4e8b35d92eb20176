package io.ravenpost.api.watch;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Uid;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** The answer to a presence watch: {@code {online: {uid: bool}}}, only the uids that differ (none: the wait passed). */
public record PresenceAnswer(Map<Long, Boolean> online) {
  public static final PresenceAnswer NONE = new PresenceAnswer(Map.of());
  public static final Codec<PresenceAnswer> CODEC = Codec.json(PresenceAnswer::toJson, PresenceAnswer::fromJson);

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    online.forEach((uid, on) -> o.put(Long.toString(uid), on));
    return new JsonObject().put("online", o);
  }

  public static PresenceAnswer fromJson(JsonObject j) {
    Map<Long, Boolean> out = new LinkedHashMap<>();
    JsonObject o = j.getJsonObject("online", new JsonObject());
    o.forEach(e -> {
      Long uid = Uid.tryParse(e.getKey());
      if (uid != null && e.getValue() instanceof Boolean b) {
        out.put(uid, b);
      }
    });
    return new PresenceAnswer(out);
  }
}
