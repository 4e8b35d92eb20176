package io.ravenpost.api;

import io.vertx.core.json.JsonObject;

/** A question about one player: {@code {uid}}. */
public record UidQuery(long uid) {
  public static final Codec<UidQuery> CODEC = Codec.json(q -> new JsonObject().put("uid", q.uid),
      j -> new UidQuery(Fields.requireLong(j, "uid")));
}
