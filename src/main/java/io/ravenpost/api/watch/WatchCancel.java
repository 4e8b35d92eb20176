package io.ravenpost.api.watch;

import io.ravenpost.api.Codec;
import io.vertx.core.json.JsonObject;

/** Published {@code {ref}}: the caller of the held watch named {@code ref} is gone (an HTTP client hung up). */
public record WatchCancel(String ref) {
  public static final Codec<WatchCancel> CODEC = Codec.json(c -> new JsonObject().put("ref", c.ref),
      j -> new WatchCancel(j.getValue("ref") instanceof String s ? s : null));
}
