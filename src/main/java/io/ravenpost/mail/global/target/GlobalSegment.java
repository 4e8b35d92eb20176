package io.ravenpost.mail.global.target;

import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The filter of a {@code segment} target (the mail-server design's "level band" extension): every given criterion
 * must hold. {@code zone} is an exact match, {@code minLevel}/{@code maxLevel} are inclusive, and a
 * player must carry every tag of {@code tags}. Players are judged on what their {@code users} row says
 * (their token's claims at their latest login) when their distribution runs.
 */
public record GlobalSegment(String zone, Integer minLevel, Integer maxLevel, List<String> tags) {
  static final int MAX_TAGS = 16;
  static final int MAX_CHARS = 64;

  /** Validates a target object's filter; errors name the field ({@code target.maxLevel}). */
  public static GlobalSegment parse(JsonObject target) {
    JsonObject t = new JsonObject();
    target.forEach(e -> t.put("target." + e.getKey(), e.getValue()));
    String zone = Fields.optString(t, "target.zone", MAX_CHARS);
    Integer min = level(t, "target.minLevel");
    Integer max = level(t, "target.maxLevel");
    JsonArray a = Fields.optArray(t, "target.tags", MAX_TAGS);
    List<String> tags = null;
    if (a != null) {
      tags = new ArrayList<>();
      for (int i = 0; i < a.size(); i++) {
        if (!(a.getValue(i) instanceof String s) || s.isEmpty() || s.length() > MAX_CHARS || s.contains(",")) {
          throw Fields.bad("target.tags[" + i + "]", "must be 1.." + MAX_CHARS + " characters without commas");
        }
        tags.add(s);
      }
    }
    if (zone == null && min == null && max == null && (tags == null || tags.isEmpty())) {
      throw Fields.bad("target", "of type segment needs at least one of zone, minLevel, maxLevel, tags");
    }
    if (min != null && max != null && min > max) {
      throw Fields.bad("target.minLevel", "must not exceed target.maxLevel");
    }
    return new GlobalSegment(zone, min, max, tags == null ? List.of() : List.copyOf(tags));
  }

  private static Integer level(JsonObject t, String field) {
    Long v = Fields.optLong(t, field);
    if (v == null) {
      return null;
    }
    if (v < 0 || v > Integer.MAX_VALUE) {
      throw Fields.bad(field, "must be between 0 and " + Integer.MAX_VALUE);
    }
    return v.intValue();
  }

  public boolean matches(GlobalPlayer p) {
    if (p == null) {
      return false;
    }
    if (zone != null && !zone.equals(p.zone())) {
      return false;
    }
    if ((minLevel != null || maxLevel != null) && p.level() == null) {
      return false;
    }
    if (minLevel != null && p.level() < minLevel) {
      return false;
    }
    if (maxLevel != null && p.level() > maxLevel) {
      return false;
    }
    return p.tags().containsAll(tags);
  }

  /** The same filter as SQL over {@code users}, for previews: a clause and its parameters. */
  public String sqlWhere(List<Object> params) {
    List<String> parts = new ArrayList<>();
    if (zone != null) {
      parts.add("zone = ?");
      params.add(zone);
    }
    if (minLevel != null) {
      parts.add("level >= ?");
      params.add(minLevel);
    }
    if (maxLevel != null) {
      parts.add("level <= ?");
      params.add(maxLevel);
    }
    for (String tag : tags) {
      parts.add("FIND_IN_SET(?, tags) > 0");
      params.add(tag);
    }
    return String.join(" AND ", parts);
  }

  /** The filter fields as given (for the stored row, the cache and admin pages). */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    if (zone != null) {
      o.put("zone", zone);
    }
    if (minLevel != null) {
      o.put("minLevel", minLevel);
    }
    if (maxLevel != null) {
      o.put("maxLevel", maxLevel);
    }
    if (!tags.isEmpty()) {
      o.put("tags", new JsonArray(new ArrayList<>(tags)));
    }
    return o;
  }

  /** Reads our own stored JSON back (already validated when it was sent). */
  public static GlobalSegment fromJson(JsonObject o) {
    if (o == null) {
      return null;
    }
    List<String> tags = new ArrayList<>();
    JsonArray a = o.getJsonArray("tags");
    if (a != null) {
      a.forEach(t -> tags.add(String.valueOf(t)));
    }
    Number min = (Number) o.getValue("minLevel");
    Number max = (Number) o.getValue("maxLevel");
    return new GlobalSegment(o.getString("zone"), min == null ? null : min.intValue(),
        max == null ? null : max.intValue(), List.copyOf(tags));
  }
}
