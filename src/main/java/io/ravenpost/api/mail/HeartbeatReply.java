package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.vertx.core.json.JsonObject;

/** The mail side of a heartbeat ({@link io.ravenpost.api.UidQuery}): the unread count, and whether mail arrived since the last list. */
public record HeartbeatReply(long unread, boolean newMail) {
  public static final Codec<HeartbeatReply> CODEC = Codec.json(
      r -> new JsonObject().put("unread", r.unread).put("newMail", r.newMail),
      j -> new HeartbeatReply(j.getLong("unread", 0L), j.getBoolean("newMail", false)));
}
