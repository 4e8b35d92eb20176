package io.ravenpost.mail.text;

import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/**
 * The text of a send when it is not plain {@code {title, body}}: {@code {texts, defaultLocale}}, or
 * {@code {template, params?}} (then {@code version} is the template's version the mail keeps).
 * Stored once per send in {@code mail_texts}; mails point at it.
 */
public record Content(Texts texts, String template, int version, JsonObject params) {
  public static final int MAX_PARAMS = 50;
  public static final int MAX_PARAM_CHARS = 1024;
  static final Pattern TEMPLATE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
  private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z0-9_]{1,64}");
  private static final String FORMS = "give one of {title, body}, {texts, defaultLocale} or {template, params}";

  /** The content form of a send body, or null for plain {@code {title, body}}: BAD_REQUEST naming the field. */
  public static Content parse(JsonObject req) {
    boolean texts = req.getValue("texts") != null;
    boolean template = req.getValue("template") != null;
    boolean plain = req.getValue("title") != null || req.getValue("body") != null;
    if (!texts && !template) {
      if (req.getValue("params") != null || req.getValue("defaultLocale") != null) {
        throw Fields.bad(req.getValue("params") != null ? "params" : "defaultLocale", "needs template or texts: " + FORMS);
      }
      return null;
    }
    if (texts && template || plain) {
      throw Fields.bad(texts ? "texts" : "template", FORMS);
    }
    if (texts) {
      if (req.getValue("params") != null) {
        throw Fields.bad("params", "go with template, not texts");
      }
      return new Content(Texts.parse(req), null, 0, null);
    }
    if (req.getValue("defaultLocale") != null) {
      throw Fields.bad("defaultLocale", "comes from the template");
    }
    return new Content(null, templateId("template", req.getValue("template")), 0, params(req));
  }

  static String templateId(String field, Object v) {
    if (!(v instanceof String id) || !TEMPLATE_ID.matcher(id).matches()) {
      throw Fields.bad(field, "must be a template id: 1..64 letters, digits, '.', '_' or '-'");
    }
    return id;
  }

  private static JsonObject params(JsonObject req) {
    JsonObject p = Fields.optObject(req, "params");
    if (p == null) {
      return new JsonObject();
    }
    if (p.size() > MAX_PARAMS) {
      throw Fields.bad("params", "has " + p.size() + " values; at most " + MAX_PARAMS + " are allowed");
    }
    for (String name : p.fieldNames()) {
      String field = "params." + name;
      if (!PARAM_NAME.matcher(name).matches() || "player".equals(name)) {
        throw Fields.bad(field, "is not a param name: 1..64 letters, digits or '_', and not player");
      }
      Object v = p.getValue(name);
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
        throw Fields.bad(field, "must be a string, a number or a boolean");
      }
      if (v instanceof String s && s.length() > MAX_PARAM_CHARS) {
        throw Fields.bad(field, "is longer than " + MAX_PARAM_CHARS + " characters");
      }
    }
    return p.copy();
  }

  public boolean isTemplate() {
    return template != null;
  }

  Content withVersion(int v) {
    return new Content(texts, template, v, params);
  }

  JsonObject toJson() {
    return isTemplate() ? new JsonObject().put("template", template).put("version", version).put("params", params)
        : texts.toJson();
  }

  static Content fromJson(JsonObject o) {
    return o.getValue("template") != null
        ? new Content(null, o.getString("template"), o.getInteger("version"), o.getJsonObject("params"))
        : new Content(Texts.fromJson(o), null, 0, null);
  }
}
