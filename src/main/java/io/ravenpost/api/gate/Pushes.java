package io.ravenpost.api.gate;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.ravenpost.api.Headers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * To a gate address, action {@link GateAction#PUSHES}: several {@link Push}es for sessions of that
 * node in one message, as a distribution tells a batch of players their copies. Not answered.
 */
public record Pushes(List<Push> pushes) {
  public static final Codec<Pushes> CODEC = Codec.withHeaders(Pushes::toJson,
      (p, o) -> o.addHeader(Headers.ACTION, GateAction.PUSHES.wire()), (j, h) -> fromJson(j));

  public JsonObject toJson() {
    JsonArray a = new JsonArray();
    pushes.forEach(p -> a.add(p.toJson()));
    return new JsonObject().put("pushes", a);
  }

  public static Pushes fromJson(JsonObject o) {
    JsonArray a = Fields.optArray(o, "pushes", Integer.MAX_VALUE);
    List<Push> out = new ArrayList<>();
    if (a != null) {
      a.forEach(p -> out.add(Push.fromJson((JsonObject) p)));
    }
    return new Pushes(out);
  }
}
