package io.ravenpost.api.gate;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.ravenpost.api.Headers;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * To a gate address, action {@link GateAction#BROADCAST}: an {@code online} global mail, sent once
 * to every gate node. The gate records which of its sessions were online at {@code createdAt}
 * (global recipients), then pushes {@code mail.new} to them: {@code summary} with {@code mailId} =
 * {@code mailIds[shard of the player]}, the id the player's copy gets when it is written. Answered
 * {@link BroadcastReply} once recorded.
 */
public record Broadcast(long globalMailId, long createdAt, long visibleAt, JsonObject summary, JsonArray mailIds) {
  public static final Codec<Broadcast> CODEC = Codec.withHeaders(Broadcast::toJson,
      (b, o) -> o.addHeader(Headers.ACTION, GateAction.BROADCAST.wire()), (j, h) -> fromJson(j));

  /** The id {@code uid}'s copy gets: {@code mailIds} holds one id per MySQL shard, in shard order (uid mod shards). */
  public long mailIdOf(long uid) {
    return mailIds.getLong((int) Math.floorMod(uid, (long) mailIds.size()));
  }

  public JsonObject toJson() {
    return new JsonObject().put("globalMailId", globalMailId).put("createdAt", createdAt).put("visibleAt", visibleAt)
        .put("summary", summary).put("mailIds", mailIds);
  }

  public static Broadcast fromJson(JsonObject o) {
    return new Broadcast(Fields.requireLong(o, "globalMailId"), Fields.requireLong(o, "createdAt"),
        Fields.requireLong(o, "visibleAt"), Fields.optObject(o, "summary"), o.getJsonArray("mailIds"));
  }
}
