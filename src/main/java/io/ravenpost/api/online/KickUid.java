package io.ravenpost.api.online;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.ravenpost.api.KickReason;
import io.vertx.core.json.JsonObject;

/** Close a uid's session wherever it is, telling it {@code reason}; answered {@link Kicked}. */
public record KickUid(long uid, KickReason reason) {
  public static final Codec<KickUid> CODEC = Codec.json(
      k -> new JsonObject().put("uid", k.uid).put("reason", k.reason.name()),
      j -> new KickUid(Fields.requireLong(j, "uid"), KickReason.parse(j.getString("reason"), KickReason.ADMIN)));
}
