package io.ravenpost.api.recall;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;

/** What a send's recall did: mails taken back now, and mails whose attachments had been claimed (they stay). */
public record Recalled(long recalled, long alreadyClaimed) {
  public static final Codec<Recalled> CODEC = Codec.json(
      r -> new JsonObject().put("recalled", r.recalled).put("alreadyClaimed", r.alreadyClaimed),
      j -> new Recalled(Fields.requireLong(j, "recalled"), Fields.requireLong(j, "alreadyClaimed")));
}
