package io.ravenpost.api.feed;

import io.ravenpost.api.feed.ChangeType;
import io.vertx.core.json.JsonObject;

/** One numbered change of a player's feed: what {@code mail.sync} answers and {@code mail.changed} pushes. */
public record FeedEntry(long uid, long seq, ChangeType type, long mailId) {

  /** The wire shape {@code {seq, type, mailId, mail?}}; {@code mail} is the summary of a new mail. */
  public JsonObject toJson(JsonObject mail) {
    JsonObject o = new JsonObject().put("seq", seq).put("type", type.wire()).put("mailId", mailId);
    return mail == null ? o : o.put("mail", mail);
  }
}
