package io.ravenpost.api.recall;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;

/**
 * One personal send by its id: taken back where still unclaimed ({@code DELETE /admin/sends/{sendId}},
 * answered {@link Recalled}), or looked at ({@code GET /admin/sends/{sendId}}).
 */
public record RecallSend(long sendId) {
  public static final Codec<RecallSend> CODEC = Codec.json(r -> new JsonObject().put("sendId", r.sendId),
      j -> new RecallSend(Fields.requireLong(j, "sendId")));
}
