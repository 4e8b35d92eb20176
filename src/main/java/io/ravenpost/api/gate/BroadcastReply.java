package io.ravenpost.api.gate;

import io.ravenpost.api.Codec;
import io.vertx.core.json.JsonObject;

/** The answer to a {@link Broadcast}: how many players the node told ({@code repeated}: it had, before). */
public record BroadcastReply(int players, boolean repeated) {
  public static final Codec<BroadcastReply> CODEC = Codec.json(
      r -> new JsonObject().put("players", r.players).put("repeated", r.repeated),
      j -> new BroadcastReply(j.getInteger("players", 0), j.getBoolean("repeated", false)));
}
