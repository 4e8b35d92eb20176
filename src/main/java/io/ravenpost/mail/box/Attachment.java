package io.ravenpost.mail.box;

import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a mail carries: {@code {type: "currency"|"item", id, amount}}; {@code id} is a string or an integer. */
public record Attachment(String type, Object id, long amount) {
  public static final int MAX_PER_MAIL = 10;
  static final long MAX_AMOUNT = 1_000_000_000_000_000L;
  private static final int MAX_ID_CHARS = 64;

  /** Parses and validates a sender's list; errors name the field ({@code attachments[2].amount}). */
  public static List<Attachment> parseList(JsonArray a) {
    if (a.size() > MAX_PER_MAIL) {
      throw Fields.bad("attachments", "has more than " + MAX_PER_MAIL + " entries");
    }
    List<Attachment> out = new ArrayList<>();
    for (int i = 0; i < a.size(); i++) {
      String name = "attachments[" + i + "]";
      if (!(a.getValue(i) instanceof JsonObject o)) {
        throw Fields.bad(name, "must be an object");
      }
      out.add(parse(o, name));
    }
    return out;
  }

  private static Attachment parse(JsonObject o, String name) {
    String type = Fields.optString(o, "type", 16);
    if (!"currency".equals(type) && !"item".equals(type)) {
      throw Fields.bad(name + ".type", "must be currency or item");
    }
    Object id = o.getValue("id");
    if (id instanceof String s) {
      if (s.isEmpty() || s.length() > MAX_ID_CHARS) {
        throw Fields.bad(name + ".id", "must be 1.." + MAX_ID_CHARS + " characters");
      }
    } else if (id instanceof Integer || id instanceof Long) {
      id = ((Number) id).longValue();
    } else {
      throw Fields.bad(name + ".id", "must be a string or an integer");
    }
    Object amount = o.getValue("amount");
    if (!(amount instanceof Integer || amount instanceof Long)) {
      throw Fields.bad(name + ".amount", "must be an integer");
    }
    long n = ((Number) amount).longValue();
    if (n < 1 || n > MAX_AMOUNT) {
      throw Fields.bad(name + ".amount", "must be between 1 and " + MAX_AMOUNT);
    }
    return new Attachment(type, id, n);
  }

  public JsonObject toJson() {
    return new JsonObject().put("type", type).put("id", id).put("amount", amount);
  }

  public static JsonArray toJson(List<Attachment> list) {
    JsonArray a = new JsonArray();
    list.forEach(x -> a.add(x.toJson()));
    return a;
  }

  /** Reads a stored list (our own JSON, already validated when it was sent). */
  public static List<Attachment> fromStored(String json) {
    if (json == null) {
      return List.of();
    }
    List<Attachment> out = new ArrayList<>();
    for (Object o : new JsonArray(json)) {
      JsonObject j = (JsonObject) o;
      Object id = j.getValue("id");
      out.add(new Attachment(j.getString("type"), id instanceof Number n ? n.longValue() : id,
          j.getLong("amount")));
    }
    return out;
  }

  /**
   * Sums amounts of the same type and id, keeping first-seen order (claimAll's answer). A sum that
   * would overflow an int64 starts a new entry instead.
   */
  public static List<Attachment> merge(List<Attachment> all) {
    Map<String, Attachment> byKey = new LinkedHashMap<>();
    for (Attachment a : all) {
      String key = a.type + "\u0000" + a.id;
      Attachment cur = byKey.get(key);
      if (cur == null) {
        byKey.put(key, a);
      } else if (Long.MAX_VALUE - cur.amount >= a.amount) {
        byKey.put(key, new Attachment(a.type, a.id, cur.amount + a.amount));
      } else {
        byKey.put(key + "\u0000" + byKey.size(), a);
      }
    }
    return new ArrayList<>(byKey.values());
  }
}
