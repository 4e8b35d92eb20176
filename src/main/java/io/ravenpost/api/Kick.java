package io.ravenpost.api;

import io.vertx.core.json.JsonObject;

/**
 * To a gate address ({@link Addresses#gate}), header {@link Headers#ACTION} = {@link #ACTION}:
 * tell that session why, close it and release its registry entry; answered {@code {released}}
 * once the entry is released. {@code epoch} names the entry the kicker saw (0: whichever the
 * session holds, as nodes of an earlier version send it), so an entry the session claimed since is
 * not released by a kick meant for the one before.
 */
public record Kick(long uid, String sessionId, KickReason reason, long epoch) {
  public static final String ACTION = "kick";

  public JsonObject toJson() {
    return new JsonObject().put("uid", uid).put("sessionId", sessionId).put("reason", reason.name())
        .put("epoch", epoch);
  }

  public static Kick fromJson(JsonObject o) {
    return new Kick(o.getLong("uid"), o.getString("sessionId"), KickReason.parse(o.getString("reason"), KickReason.ADMIN),
        o.getLong("epoch", 0L));
  }
}
