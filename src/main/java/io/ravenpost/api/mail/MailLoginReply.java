package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;

/** The mail side's answer to a login: the unread count, which includes mail stored while the player was away. */
public record MailLoginReply(long unread) {
  public static final Codec<MailLoginReply> CODEC = Codec.json(r -> new JsonObject().put("unread", r.unread),
      j -> new MailLoginReply(Fields.requireLong(j, "unread")));
}
