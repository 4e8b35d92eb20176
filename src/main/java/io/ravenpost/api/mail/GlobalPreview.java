package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;

/** How many players a global target reaches now: {@code {target}}, answered {@link PreviewResult}. */
public record GlobalPreview(JsonObject target) {
  public static final Codec<GlobalPreview> CODEC = Codec.json(p -> new JsonObject().put("target", p.target),
      j -> {
        JsonObject t = Fields.optObject(j, "target");
        if (t == null) {
          throw Fields.bad("target", "is required");
        }
        return new GlobalPreview(t);
      });
}
