package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;

/**
 * The mail side of a login, sent by the gate once the session owns its registry entry: {@code claims}
 * are the token's ({@code uid, role, name?, createdAt?, zone?, level?, tags?, locale?}; {@code locale} is
 * the login's own when it gave one). Answered
 * {@link MailLoginReply}.
 */
public record MailLogin(long uid, String sessionId, JsonObject claims) {
  public static final Codec<MailLogin> CODEC = Codec.json(MailLogin::toJson, MailLogin::fromJson);

  public JsonObject toJson() {
    return new JsonObject().put("uid", uid).put("sessionId", sessionId).put("claims", claims);
  }

  public static MailLogin fromJson(JsonObject o) {
    JsonObject claims = Fields.optObject(o, "claims");
    return new MailLogin(Fields.requireLong(o, "uid"), o.getString("sessionId"),
        claims == null ? new JsonObject() : claims);
  }
}
