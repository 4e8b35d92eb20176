package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * A gate node's players who were online when an {@code online} send reached it: recorded durably
 * before they are told, then their copies are written in the background. Answered {@link Recorded}.
 */
public record GlobalRecipients(long globalMailId, String gateNode, List<Long> uids) {
  public static final Codec<GlobalRecipients> CODEC = Codec.json(GlobalRecipients::toJson, GlobalRecipients::fromJson);

  public JsonObject toJson() {
    return new JsonObject().put("globalMailId", globalMailId).put("gateNode", gateNode)
        .put("uids", new JsonArray(new ArrayList<>(uids)));
  }

  public static GlobalRecipients fromJson(JsonObject o) {
    List<Long> uids = new ArrayList<>();
    JsonArray a = Fields.optArray(o, "uids", Integer.MAX_VALUE);
    if (a != null) {
      a.forEach(u -> uids.add(((Number) u).longValue()));
    }
    return new GlobalRecipients(Fields.requireLong(o, "globalMailId"), Fields.requireString(o, "gateNode", 128), uids);
  }
}
