package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.vertx.core.json.JsonObject;

/** The answer to a resume of {@code online} sends whose node died mid-way: how many were taken over. */
public record Resumed(int resumed) {
  public static final Codec<Resumed> CODEC = Codec.json(r -> new JsonObject().put("resumed", r.resumed),
      j -> new Resumed(j.getInteger("resumed", 0)));
}
