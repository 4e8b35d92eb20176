package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;

/**
 * Published whenever a uid's unread count may have changed (mail stored, opened, claimed, deleted,
 * evicted, expired): {@code unread} read after the commit, at {@code at} (epoch ms). Two changes
 * close together may be announced out of order; a consumer that needs the exact figure reads it again.
 */
public record UnreadChanged(long uid, long unread, long at) {
  public static final Codec<UnreadChanged> CODEC = Codec.json(UnreadChanged::toJson, UnreadChanged::fromJson);

  public JsonObject toJson() {
    return new JsonObject().put("uid", uid).put("unread", unread).put("at", at);
  }

  public static UnreadChanged fromJson(JsonObject o) {
    return new UnreadChanged(Fields.requireLong(o, "uid"), o.getLong("unread", 0L), o.getLong("at", 0L));
  }
}
