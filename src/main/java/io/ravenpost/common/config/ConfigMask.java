package io.ravenpost.common.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The configuration as it may be shown (the {@code config} command, result files): every value under
 * a key whose name says secret or password, and the password inside every URI
 * ({@code mysql://user:PASSWORD@host}, {@code ?password=}), replaced by {@link #MASK}. URIs are found
 * by their shape wherever they are, so a new section's URIs are masked without naming them here.
 */
public final class ConfigMask {
  public static final String MASK = "****";
  private static final Pattern USERINFO_PASSWORD = Pattern.compile("(://[^/@:?#]*:)[^@/?#]*@");
  private static final Pattern QUERY_SECRET = Pattern.compile("([?&][^=&#]*(?:password|secret)[^=&#]*=)[^&#]*",
      Pattern.CASE_INSENSITIVE);

  private ConfigMask() {
  }

  /** A masked copy of {@code raw}. */
  public static JsonObject masked(JsonObject raw) {
    JsonObject out = new JsonObject();
    raw.forEach(e -> out.put(e.getKey(), mask(e.getValue(), secretKey(e.getKey()))));
    return out;
  }

  /** {@code uri} with its password, if any, masked. */
  public static String uri(String uri) {
    String s = USERINFO_PASSWORD.matcher(uri).replaceAll("$1" + MASK + "@");
    return QUERY_SECRET.matcher(s).replaceAll("$1" + MASK);
  }

  private static Object mask(Object value, boolean secret) {
    if (value instanceof JsonObject o) {
      return masked(o);
    }
    if (value instanceof JsonArray a) {
      JsonArray out = new JsonArray();
      a.forEach(v -> out.add(mask(v, secret)));
      return out;
    }
    if (value instanceof String s) {
      return secret && !s.isEmpty() ? MASK : uri(s);
    }
    return value;
  }

  private static boolean secretKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("secret") || k.contains("password");
  }
}
