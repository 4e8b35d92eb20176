package io.ravenpost.api.text;

import io.ravenpost.api.Fields;
import io.ravenpost.api.RavenException;
import java.util.ArrayList;
import java.util.IllformedLocaleException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Language tags (BCP 47) and the fallback rule of PROTOCOL.md "Languages": a tag falls back to its
 * language ({@code pt-BR} → {@code pt}), then to the mail's default locale. Tags are compared in
 * their canonical form ({@code pt-br} and {@code pt-BR} are one tag).
 */
public final class Locales {
  public static final int MAX_TAG_CHARS = 35;

  private Locales() {
  }

  /**
   * The canonical form of a well-formed tag, or BAD_REQUEST naming {@code field}. A tag is
   * well-formed when it survives a round-trip through {@link Locale.Builder} unchanged but for case.
   */
  public static String canonical(String field, String tag) {
    if (tag == null || tag.isEmpty() || tag.length() > MAX_TAG_CHARS) {
      throw Fields.bad(field, "must be a BCP 47 language tag such as de or pt-BR");
    }
    String out;
    try {
      out = new Locale.Builder().setLanguageTag(tag).build().toLanguageTag();
    } catch (IllformedLocaleException e) {
      throw Fields.bad(field, "\"" + tag + "\" is not a BCP 47 language tag (such as de or pt-BR)");
    }
    if (!out.equalsIgnoreCase(tag) || "und".equals(out)) {
      throw Fields.bad(field, "\"" + tag + "\" is not a BCP 47 language tag (such as de or pt-BR)");
    }
    return out;
  }

  /** The canonical form of a tag, or null when it is absent or not well-formed (a session without a language). */
  public static String orNull(String tag) {
    try {
      return tag == null ? null : canonical("locale", tag);
    } catch (RavenException e) {
      return null;
    }
  }

  /**
   * The locale of {@code available} to show to a reader of {@code wanted}: the tag itself, then
   * each shorter prefix of it, then {@code defaultLocale}.
   */
  public static String choose(Set<String> available, String wanted, String defaultLocale) {
    for (String candidate : chain(wanted)) {
      if (available.contains(candidate)) {
        return candidate;
      }
    }
    return defaultLocale;
  }

  private static List<String> chain(String tag) {
    List<String> out = new ArrayList<>();
    String t = tag;
    while (t != null && !t.isEmpty()) {
      out.add(t);
      int cut = t.lastIndexOf('-');
      t = cut < 0 ? null : t.substring(0, cut);
    }
    return out;
  }
}
