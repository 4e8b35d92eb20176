package io.ravenpost.api.online;

import io.ravenpost.api.Codec;
import io.vertx.core.json.JsonObject;

/** The answer to {@link KickUid}: whether the uid had a session (or an entry) that is now gone. */
public record Kicked(boolean kicked) {
  public static final Codec<Kicked> CODEC = Codec.json(k -> new JsonObject().put("kicked", k.kicked),
      j -> new Kicked(j.getBoolean("kicked", false)));
}
