package io.ravenpost.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads dotted keys out of the raw config with validation, and applies environment overrides.
 * Public so that features can type their own sections the same way.
 */
public final class Conf {
  private Conf() {
  }

  public static String str(JsonObject raw, String key) {
    Object v = get(raw, key);
    if (v == null) {
      throw new IllegalArgumentException("config " + key + " is missing");
    }
    return v.toString();
  }

  public static boolean bool(JsonObject raw, String key) {
    Object v = get(raw, key);
    if (v instanceof Boolean b) {
      return b;
    }
    if ("true".equals(String.valueOf(v)) || "false".equals(String.valueOf(v))) {
      return Boolean.parseBoolean(String.valueOf(v));
    }
    throw new IllegalArgumentException("config " + key + " must be true or false, not " + v);
  }

  public static int intIn(JsonObject raw, String key, int min, int max) {
    long v = longIn(raw, key, min, max);
    return (int) v;
  }

  public static long longIn(JsonObject raw, String key, long min, long max) {
    Object v = get(raw, key);
    long n;
    try {
      n = v instanceof Number num ? num.longValue() : Long.parseLong(String.valueOf(v).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("config " + key + " must be a whole number, not " + v);
    }
    if (n < min || n > max) {
      throw new IllegalArgumentException("config " + key + " must be between " + min + " and " + max + ", not " + n);
    }
    return n;
  }

  public static int port(JsonObject raw, String key, int offset) {
    int p = intIn(raw, key, 0, 65535);
    return p == 0 ? 0 : p + offset;
  }

  public static List<String> strings(JsonObject raw, String key) {
    Object v = get(raw, key);
    if (v == null) {
      return List.of();
    }
    if (v instanceof JsonArray a) {
      List<String> out = new ArrayList<>();
      a.forEach(e -> out.add(String.valueOf(e)));
      return out;
    }
    return Arrays.stream(v.toString().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  public static Object get(JsonObject raw, String key) {
    String[] parts = key.split("\\.");
    JsonObject cur = raw;
    for (int i = 0; i < parts.length - 1; i++) {
      cur = cur.getJsonObject(parts[i]);
      if (cur == null) {
        return null;
      }
    }
    return cur.getValue(parts[parts.length - 1]);
  }

  /** Overrides every leaf {@code a.bC} found in the file with env {@code PREFIX_A_B_C}. */
  public static void applyEnv(JsonObject node, String prefix, Map<String, String> env) {
    for (String key : List.copyOf(node.fieldNames())) {
      String name = prefix + "_" + snake(key);
      Object v = node.getValue(key);
      if (v instanceof JsonObject child) {
        applyEnv(child, name, env);
      } else if (env.containsKey(name)) {
        String s = env.get(name);
        node.put(key, v instanceof JsonArray ? new JsonArray(strings(new JsonObject().put("x", s), "x")) : s);
      }
    }
  }

  /** Dotted keys of {@code over} that {@code base} does not have (a typo, or a key of another version). */
  public static List<String> unknownKeys(JsonObject base, JsonObject over, String prefix) {
    List<String> out = new ArrayList<>();
    for (String key : over.fieldNames()) {
      Object b = base.getValue(key);
      Object o = over.getValue(key);
      if (!base.containsKey(key)) {
        out.add(prefix + key);
      } else if (b instanceof JsonObject bo && o instanceof JsonObject oo) {
        out.addAll(unknownKeys(bo, oo, prefix + key + "."));
      }
    }
    return out;
  }

  public static void deepMerge(JsonObject target, JsonObject overrides) {
    for (String key : overrides.fieldNames()) {
      Object v = overrides.getValue(key);
      if (v instanceof JsonObject o && target.getValue(key) instanceof JsonObject t) {
        deepMerge(t, o);
      } else {
        target.put(key, v);
      }
    }
  }

  static String snake(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase();
  }
}
