package io.ravenpost.common.config;

import io.vertx.core.json.JsonObject;

/** The {@code log} section (env {@code RAVEN_LOG_FORMAT}). */
public record LogConfig(Format format) {
  /** One line per event: readable text, or one JSON object per line for log shippers. */
  public enum Format { TEXT, JSON }

  public static LogConfig from(JsonObject raw) {
    String f = Conf.str(raw, "log.format");
    return switch (f) {
      case "text" -> new LogConfig(Format.TEXT);
      case "json" -> new LogConfig(Format.JSON);
      default -> throw new IllegalArgumentException("config log.format must be text or json, not '" + f + "'");
    };
  }
}
