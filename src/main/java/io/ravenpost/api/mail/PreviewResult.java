package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.vertx.core.json.JsonObject;

/** The target as understood (a segment with its bounds) and how many players it reaches now. */
public record PreviewResult(JsonObject target, long matches) {
  public static final Codec<PreviewResult> CODEC = Codec.json(
      r -> new JsonObject().put("target", r.target).put("matches", r.matches),
      j -> new PreviewResult(j.getJsonObject("target"), j.getLong("matches", 0L)));
}
