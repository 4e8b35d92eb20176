package io.ravenpost.api;

import io.vertx.core.json.JsonObject;

/** A player's unread count: {@code {unread}}. */
public record UnreadCount(long unread) {
  public static final Codec<UnreadCount> CODEC = Codec.json(u -> new JsonObject().put("unread", u.unread),
      j -> new UnreadCount(Fields.requireLong(j, "unread")));

  public JsonObject toJson() {
    return CODEC.encode(this);
  }
}
