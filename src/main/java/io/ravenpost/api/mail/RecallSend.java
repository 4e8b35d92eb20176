package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;

/** Take back every mail of one personal send still unclaimed ({@code DELETE /admin/sends/{sendId}}): answered {@link Recalled}. */
public record RecallSend(long sendId) {
  public static final Codec<RecallSend> CODEC = Codec.json(r -> new JsonObject().put("sendId", r.sendId),
      j -> new RecallSend(Fields.requireLong(j, "sendId")));
}
