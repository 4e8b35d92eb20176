package io.ravenpost.mail.box;

import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;

/** The page parameters of every mail list: {@code cursor} (an id we handed out) and {@code limit}. */
public final class Page {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  private Page() {
  }

  /** The opaque cursor of the previous page: the decimal id we handed out (a number is accepted too). */
  public static Long cursor(JsonObject b) {
    Long c = Fields.optLong(b, "cursor");
    if (c != null && c < 1) {
      throw Fields.bad("cursor", "is not a cursor this server gave out");
    }
    return c;
  }

  public static int limit(JsonObject b) {
    return (int) Fields.longInRange(b, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
  }
}
