package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * A granted attachment on its way to the game: {@code {grantId, uid, mailId, attachments: [{type,
 * id, amount}], reason}} ({@code claim} or {@code expiry}). Any reply acknowledges; without one the
 * grant is sent again, so {@code grantId} is the receiver's idempotency key.
 */
public record GrantMessage(String grantId, long uid, long mailId, JsonArray attachments, String reason) {
  public static final Codec<GrantMessage> CODEC = Codec.json(GrantMessage::toJson, GrantMessage::fromJson);

  public JsonObject toJson() {
    return new JsonObject().put("grantId", grantId).put("uid", uid).put("mailId", mailId)
        .put("attachments", attachments).put("reason", reason);
  }

  public static GrantMessage fromJson(JsonObject o) {
    return new GrantMessage(Fields.requireString(o, "grantId", 64), Fields.requireLong(o, "uid"),
        Fields.requireLong(o, "mailId"), o.getJsonArray("attachments", new JsonArray()), o.getString("reason"));
  }
}
