package io.ravenpost.common.config;

import io.vertx.core.json.JsonObject;

/**
 * @param secret         the player token secret (HS256), at least 32 characters
 * @param leewaySeconds  clock skew accepted on {@code iat}, {@code nbf} and {@code exp}: the game's
 *                       account service and this node rarely share a clock to the second
 */
public record JwtConfig(String secret, int leewaySeconds) {
  public static JwtConfig from(JsonObject raw) {
    String secret = Conf.str(raw, "jwt.secret");
    if (secret.length() < 32) {
      throw new IllegalArgumentException("config jwt.secret must be at least 32 characters");
    }
    return new JwtConfig(secret, Conf.intIn(raw, "jwt.leewaySeconds", 0, 300));
  }
}
