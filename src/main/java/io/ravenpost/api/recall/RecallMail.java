package io.ravenpost.api.recall;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;

/**
 * Take one mail back from one mailbox ({@code DELETE /admin/users/{uid}/mail/{mailId}}): answered
 * with nothing, or ALREADY_CLAIMED when its attachments were claimed, NOT_FOUND when there is no such mail.
 */
public record RecallMail(long uid, long mailId) {
  public static final Codec<RecallMail> CODEC = Codec.json(r -> new JsonObject().put("uid", r.uid).put("mailId", r.mailId),
      j -> new RecallMail(Fields.requireLong(j, "uid"), Fields.requireLong(j, "mailId")));
}
