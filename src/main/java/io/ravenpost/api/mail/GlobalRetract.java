package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;

/** Retract a global mail: nobody receives it any more (NOT_FOUND when unknown). Answered with nothing. */
public record GlobalRetract(long globalMailId) {
  public static final Codec<GlobalRetract> CODEC = Codec.json(r -> new JsonObject().put("globalMailId", r.globalMailId),
      j -> new GlobalRetract(Fields.requireLong(j, "globalMailId")));
}
