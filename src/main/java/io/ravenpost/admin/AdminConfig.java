package io.ravenpost.admin;

import io.ravenpost.common.config.Conf;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The {@code admin} section: the admin HTTP server (also the node's health and metrics port when
 * the admin role is off) and the operators' side of it.
 *
 * @param jwtSecret      the operator secret (HS256) of {@code admin} and {@code service} tokens, at
 *                       least 32 characters and not the player secret: whoever issues player tokens
 *                       must not be able to mint operator ones
 * @param sessionSeconds how long a console sign-in lasts
 * @param signInFailures sign-in attempts of one operator name checked per 15 minutes; more are
 *                       refused RATE_LIMITED unchecked, so a password cannot be guessed at the speed of
 *                       the network
 * @param publicUrl      the console's address as operators' browsers see it (e.g. behind a TLS proxy);
 *                       an {@code https://} one marks the session cookie {@code Secure}
 * @param trustedProxies addresses of reverse proxies whose {@code X-Forwarded-For} and
 *                       {@code X-Forwarded-Proto} are believed; from anyone else they are ignored
 */
public record AdminConfig(String host, int port, String jwtSecret, int sessionSeconds, int signInFailures,
                          String publicUrl, List<String> trustedProxies) {
  public static AdminConfig from(JsonObject raw, int offset) {
    String secret = Conf.str(raw, "admin.jwtSecret");
    if (secret.length() < 32) {
      throw new IllegalArgumentException("config admin.jwtSecret must be at least 32 characters");
    }
    if (secret.equals(Conf.str(raw, "jwt.secret"))) {
      throw new IllegalArgumentException("config admin.jwtSecret must differ from jwt.secret: operator tokens "
          + "have a secret of their own (RAVEN_ADMIN_JWT_SECRET)");
    }
    String publicUrl = Conf.str(raw, "admin.publicUrl");
    if (!publicUrl.isEmpty() && !publicUrl.startsWith("http://") && !publicUrl.startsWith("https://")) {
      throw new IllegalArgumentException("config admin.publicUrl must be empty or start with http:// or https://, not "
          + publicUrl);
    }
    return new AdminConfig(Conf.str(raw, "admin.host"), Conf.port(raw, "admin.port", offset), secret,
        Conf.intIn(raw, "admin.sessionSeconds", 60, 7 * 86_400), Conf.intIn(raw, "admin.signInFailures", 1, 1000),
        publicUrl, Conf.strings(raw, "admin.trustedProxies"));
  }

  /** Whether operators reach the console over TLS by configuration (a proxy may also say so per request). */
  public boolean publicTls() {
    return publicUrl.startsWith("https://");
  }
}
