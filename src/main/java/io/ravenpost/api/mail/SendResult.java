package io.ravenpost.api.mail;

import io.ravenpost.api.Codec;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a send stored: {@code {mailIds, sendId}} for players (in the order of {@code target.uids}),
 * {@code {globalMailId}} for a global target.
 */
public record SendResult(List<Long> mailIds, Long sendId, Long globalMailId) {
  public static final Codec<SendResult> CODEC = Codec.json(SendResult::toJson, SendResult::fromJson);

  public static SendResult personal(List<Long> mailIds, Long sendId) {
    return new SendResult(mailIds, sendId, null);
  }

  public static SendResult global(long globalMailId) {
    return new SendResult(null, null, globalMailId);
  }

  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    if (mailIds != null) {
      o.put("mailIds", new JsonArray(new ArrayList<>(mailIds)));
    }
    if (sendId != null) {
      o.put("sendId", sendId);
    }
    if (globalMailId != null) {
      o.put("globalMailId", globalMailId);
    }
    return o;
  }

  public static SendResult fromJson(JsonObject o) {
    List<Long> ids = null;
    if (o.getJsonArray("mailIds") != null) {
      ids = new ArrayList<>();
      for (Object v : o.getJsonArray("mailIds")) {
        ids.add(v == null ? null : ((Number) v).longValue());
      }
    }
    return new SendResult(ids, o.getLong("sendId"), o.getLong("globalMailId"));
  }
}
