package io.ravenpost.common.config;

import io.vertx.core.json.JsonObject;

/** @param secret the player token secret (HS256), at least 32 characters */
public record JwtConfig(String secret) {
  static JwtConfig from(JsonObject raw) {
    String secret = Conf.str(raw, "jwt.secret");
    if (secret.length() < 32) {
      throw new IllegalArgumentException("config jwt.secret must be at least 32 characters");
    }
    return new JwtConfig(secret);
  }
}
