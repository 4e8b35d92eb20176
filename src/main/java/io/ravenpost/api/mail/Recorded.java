package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.vertx.core.json.JsonObject;

/** The answer to {@link GlobalRecipients}: how many players were recorded. */
public record Recorded(int recorded) {
  public static final Codec<Recorded> CODEC = Codec.json(r -> new JsonObject().put("recorded", r.recorded),
      j -> new Recorded(j.getInteger("recorded", 0)));
}
