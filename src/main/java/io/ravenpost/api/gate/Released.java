package io.ravenpost.api.gate;

import io.ravenpost.api.Codec;
import io.vertx.core.json.JsonObject;

/** The answer to a {@link Kick}: whether the entry was still that session's and is now released. */
public record Released(boolean released) {
  public static final Codec<Released> CODEC = Codec.json(r -> new JsonObject().put("released", r.released),
      j -> new Released(j.getBoolean("released", false)));
}
