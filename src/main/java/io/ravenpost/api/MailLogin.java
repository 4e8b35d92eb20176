package io.ravenpost.api;

import io.vertx.core.json.JsonObject;

/**
 * Request on {@link Addresses#MAIL_LOGIN}, sent by the gate once the session owns its registry
 * entry: {@code claims} are the token's ({@code uid, role, name?, createdAt?, zone?, level?, tags?}).
 * Answered {@code {unread}}.
 */
public record MailLogin(long uid, String sessionId, JsonObject claims) {
  public JsonObject toJson() {
    return new JsonObject().put("uid", uid).put("sessionId", sessionId).put("claims", claims);
  }

  public static MailLogin fromJson(JsonObject o) {
    return new MailLogin(o.getLong("uid"), o.getString("sessionId"), o.getJsonObject("claims", new JsonObject()));
  }
}
