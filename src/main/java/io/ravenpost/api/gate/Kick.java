package io.ravenpost.api.gate;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.ravenpost.api.Headers;
import io.ravenpost.api.KickReason;
import io.vertx.core.json.JsonObject;

/**
 * To a gate address, action {@link GateAction#KICK}: tell that session why, close it and release
 * its registry entry; answered {@link Released} once the entry is released. {@code epoch} names the
 * entry the kicker saw (0: whichever the session holds, as nodes of an earlier version send it), so
 * an entry the session claimed since is not released by a kick meant for the one before.
 */
public record Kick(long uid, String sessionId, KickReason reason, long epoch) {
  public static final Codec<Kick> CODEC = Codec.withHeaders(Kick::toJson,
      (k, o) -> o.addHeader(Headers.ACTION, GateAction.KICK.wire()), (j, h) -> fromJson(j));

  public JsonObject toJson() {
    return new JsonObject().put("uid", uid).put("sessionId", sessionId).put("reason", reason.name())
        .put("epoch", epoch);
  }

  public static Kick fromJson(JsonObject o) {
    return new Kick(Fields.requireLong(o, "uid"), Fields.requireString(o, "sessionId", 64),
        KickReason.parse(o.getString("reason"), KickReason.ADMIN), o.getLong("epoch", 0L));
  }
}
