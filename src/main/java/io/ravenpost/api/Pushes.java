package io.ravenpost.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * To a gate address ({@link Addresses#gate}), header {@link Headers#ACTION} = {@link #ACTION}:
 * several {@link Push}es for sessions of that node in one message, as a distribution tells a batch
 * of players their copies. Not answered.
 */
public record Pushes(List<Push> pushes) {
  public static final String ACTION = "pushes";

  public JsonObject toJson() {
    JsonArray a = new JsonArray();
    pushes.forEach(p -> a.add(p.toJson()));
    return new JsonObject().put("pushes", a);
  }

  public static Pushes fromJson(JsonObject o) {
    List<Push> out = new ArrayList<>();
    o.getJsonArray("pushes").forEach(p -> out.add(Push.fromJson((JsonObject) p)));
    return new Pushes(out);
  }
}
