package io.ravenpost.api;

import io.vertx.core.json.JsonObject;

/** The page parameters of every list: {@code cursor} (one this server handed out) and {@code limit} (1..100, 20). */
public record PageQuery(Long cursor, int limit) {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;
  public static final PageQuery FIRST = new PageQuery(null, DEFAULT_LIMIT);
  public static final Codec<PageQuery> CODEC = Codec.json(PageQuery::toJson, PageQuery::fromJson);

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("limit", limit);
    return cursor == null ? o : o.put("cursor", Long.toString(cursor));
  }

  /** {@code cursor} a decimal id we handed out (a number is accepted too), {@code limit} in range. */
  public static PageQuery fromJson(JsonObject b) {
    Long c = Fields.optLong(b, "cursor");
    if (c != null && c < 1) {
      throw Fields.bad("cursor", "is not a cursor this server gave out");
    }
    return new PageQuery(c, (int) Fields.longInRange(b, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT));
  }
}
