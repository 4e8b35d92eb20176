package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;

/**
 * The mail side's answer to a login: the unread count, which includes mail stored while the player
 * was away, and where the player's change feed stands ({@code seq}, {@code epoch}; null epoch: a
 * mail role without the feed answered, and the login reply leaves both out).
 */
public record MailLoginReply(long unread, long seq, String epoch) {
  public static final Codec<MailLoginReply> CODEC = Codec.json(
      r -> new JsonObject().put("unread", r.unread).put("seq", r.seq).put("epoch", r.epoch),
      j -> new MailLoginReply(Fields.requireLong(j, "unread"), j.getLong("seq", 0L), j.getString("epoch")));
}
