package io.ravenpost.mail.text;

import io.ravenpost.api.Fields;
import io.ravenpost.api.text.Locales;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * A mail's or a template's text in every language it was given: {@code {texts: {locale: {title,
 * body}}, defaultLocale}}. Tags are stored canonical; the default locale is one of them.
 */
public record Texts(Map<String, Text> byLocale, String defaultLocale) {
  public static final int MAX_LOCALES = 40;
  public static final int MAX_TITLE_CHARS = 128;
  public static final int MAX_BODY_BYTES = 4096;

  /** One language's title and body. */
  public record Text(String title, String body) {
  }

  /** The text and the locale chosen for a reader. */
  public record Chosen(String locale, Text text) {
  }

  /** Checks {@code texts} and {@code defaultLocale} of {@code o}: BAD_REQUEST naming the field. */
  public static Texts parse(JsonObject o) {
    JsonObject texts = Fields.optObject(o, "texts");
    if (texts == null || texts.isEmpty()) {
      throw Fields.bad("texts", "must map 1.." + MAX_LOCALES + " locales to {title, body}");
    }
    if (texts.size() > MAX_LOCALES) {
      throw Fields.bad("texts", "has " + texts.size() + " locales; at most " + MAX_LOCALES + " are allowed");
    }
    Map<String, Text> byLocale = new TreeMap<>();
    for (String tag : texts.fieldNames()) {
      String field = "texts." + tag;
      String locale = Locales.canonical(field, tag);
      if (byLocale.containsKey(locale)) {
        throw Fields.bad(field, "repeats locale " + locale);
      }
      JsonObject t = Fields.optObject(texts, tag);
      if (t == null) {
        throw Fields.bad(field, "must be {title, body}");
      }
      byLocale.put(locale, new Text(title(t, field + ".title"), body(t, field + ".body")));
    }
    String def = Fields.optString(o, "defaultLocale", Locales.MAX_TAG_CHARS);
    if (def == null) {
      throw Fields.bad("defaultLocale", "is required with texts");
    }
    String defaultLocale = Locales.canonical("defaultLocale", def);
    if (!byLocale.containsKey(defaultLocale)) {
      throw Fields.bad("defaultLocale", defaultLocale + " is not one of the locales in texts");
    }
    return new Texts(Map.copyOf(byLocale), defaultLocale);
  }

  private static String title(JsonObject t, String field) {
    Object v = t.getValue("title");
    if (!(v instanceof String s) || s.isEmpty()) {
      throw Fields.bad(field, "is required");
    }
    if (s.length() > MAX_TITLE_CHARS) {
      throw Fields.bad(field, "is longer than " + MAX_TITLE_CHARS + " characters");
    }
    return s;
  }

  private static String body(JsonObject t, String field) {
    Object b = t.getValue("body");
    if (!(b instanceof String s)) {
      throw Fields.bad(field, "is required");
    }
    if (s.getBytes(StandardCharsets.UTF_8).length > MAX_BODY_BYTES) {
      throw Fields.bad(field, "is longer than " + MAX_BODY_BYTES + " bytes (UTF-8)");
    }
    return s;
  }

  /** PROTOCOL.md's fallback: the reader's tag, its language, then the default locale. */
  public Chosen choose(String wanted) {
    String locale = Locales.choose(byLocale.keySet(), wanted, defaultLocale);
    return new Chosen(locale, byLocale.get(locale));
  }

  public JsonObject toJson() {
    JsonObject texts = new JsonObject();
    new TreeMap<>(byLocale).forEach((l, t) -> texts.put(l, new JsonObject().put("title", t.title()).put("body", t.body())));
    return new JsonObject().put("texts", texts).put("defaultLocale", defaultLocale);
  }

  /** Reads what {@link #toJson} stored (trusted: it was checked before it was stored). */
  public static Texts fromJson(JsonObject o) {
    Map<String, Text> byLocale = new TreeMap<>();
    JsonObject texts = o.getJsonObject("texts");
    texts.fieldNames().forEach(l -> {
      JsonObject t = texts.getJsonObject(l);
      byLocale.put(l, new Text(t.getString("title"), t.getString("body")));
    });
    return new Texts(Map.copyOf(byLocale), o.getString("defaultLocale"));
  }
}
