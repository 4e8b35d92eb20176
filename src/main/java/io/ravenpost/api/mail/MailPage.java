package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** A page of mail, newest first: {@code {mails, nextCursor}} ({@code nextCursor} null on the last page). */
public record MailPage(JsonArray mails, String nextCursor) {
  public static final Codec<MailPage> CODEC = Codec.json(MailPage::toJson,
      j -> new MailPage(j.getJsonArray("mails", new JsonArray()), j.getString("nextCursor")));

  public JsonObject toJson() {
    return new JsonObject().put("mails", mails).put("nextCursor", nextCursor);
  }
}
