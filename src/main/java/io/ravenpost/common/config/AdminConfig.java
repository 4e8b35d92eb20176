package io.ravenpost.common.config;

import io.vertx.core.json.JsonObject;

/**
 * The {@code admin} section: the admin HTTP server (also the node's health and metrics port when
 * the admin role is off) and the operators' side of it.
 *
 * @param jwtSecret      the operator secret (HS256) of {@code admin} and {@code service} tokens, at
 *                       least 32 characters and not the player secret: whoever issues player tokens
 *                       must not be able to mint operator ones
 * @param sessionSeconds how long a console sign-in lasts
 * @param signInFailures failed sign-ins of one operator name accepted per 15 minutes; more are
 *                       refused RATE_LIMITED, so a password cannot be guessed at the speed of the network
 */
public record AdminConfig(String host, int port, String jwtSecret, int sessionSeconds, int signInFailures) {
  static AdminConfig from(JsonObject raw, int offset) {
    String secret = Conf.str(raw, "admin.jwtSecret");
    if (secret.length() < 32) {
      throw new IllegalArgumentException("config admin.jwtSecret must be at least 32 characters");
    }
    if (secret.equals(Conf.str(raw, "jwt.secret"))) {
      throw new IllegalArgumentException("config admin.jwtSecret must differ from jwt.secret: operator tokens "
          + "have a secret of their own (RAVEN_ADMIN_JWT_SECRET)");
    }
    return new AdminConfig(Conf.str(raw, "admin.host"), Conf.port(raw, "admin.port", offset), secret,
        Conf.intIn(raw, "admin.sessionSeconds", 60, 7 * 86_400), Conf.intIn(raw, "admin.signInFailures", 1, 1000));
  }
}
