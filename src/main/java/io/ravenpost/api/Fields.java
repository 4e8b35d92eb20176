package io.ravenpost.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** Reads typed fields from untrusted bodies; a wrong or missing field is a BAD_REQUEST naming it. */
public final class Fields {
  private Fields() {
  }

  public static long requireLong(JsonObject body, String field) {
    Long v = optLong(body, field);
    if (v == null) {
      throw bad(field, "is required");
    }
    return v;
  }

  public static Long optLong(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 9.0e15) {
      return d.longValue();
    }
    if (v instanceof String s && s.matches("-?\\d{1,19}")) {
      try {
        return Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw bad(field, "is not an int64");
      }
    }
    throw bad(field, "must be an integer");
  }

  public static long longInRange(JsonObject body, String field, long def, long min, long max) {
    Long v = optLong(body, field);
    long r = v == null ? def : v;
    if (r < min || r > max) {
      throw bad(field, "must be between " + min + " and " + max);
    }
    return r;
  }

  public static String requireString(JsonObject body, String field, int maxLength) {
    String s = optString(body, field, maxLength);
    if (s == null || s.isEmpty()) {
      throw bad(field, "is required");
    }
    return s;
  }

  public static String optString(JsonObject body, String field, int maxLength) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw bad(field, "must be a string");
    }
    if (s.length() > maxLength) {
      throw new RavenException(ErrorCode.BAD_REQUEST, field + " is longer than " + maxLength);
    }
    return s;
  }

  public static JsonObject optObject(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonObject o)) {
      throw bad(field, "must be an object");
    }
    return o;
  }

  public static JsonArray optArray(JsonObject body, String field, int maxSize) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof JsonArray a)) {
      throw bad(field, "must be an array");
    }
    if (a.size() > maxSize) {
      throw bad(field, "has more than " + maxSize + " entries");
    }
    return a;
  }

  public static Boolean optBoolean(JsonObject body, String field) {
    Object v = body.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Boolean b)) {
      throw bad(field, "must be a boolean");
    }
    return b;
  }

  public static RavenException bad(String field, String what) {
    return new RavenException(ErrorCode.BAD_REQUEST, field + " " + what);
  }
}
