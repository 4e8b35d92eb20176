package io.ravenpost.common.config;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.util.Set;

/**
 * Player tokens: HS256 with the player secret, and RS256/ES256 with keys from the account service's
 * JWKS.
 *
 * @param secret                the player token secret (HS256), at least 32 characters; empty only
 *                              when {@code jwksUrl} is set (then HS256 player tokens are refused)
 * @param leewaySeconds         clock skew accepted on {@code iat}, {@code nbf} and {@code exp}: the
 *                              game's account service and this node rarely share a clock to the second
 * @param jwksUrl               the account service's JWKS (http or https), or empty for none
 * @param jwksMinRefreshSeconds the least time between two fetches: tokens naming unknown keys must
 *                              not turn into a flood of requests at the account service
 * @param jwksRefreshSeconds    how often the keys are fetched anyway, so a key the account service
 *                              withdrew stops being trusted without waiting for a new one
 * @param jwksTimeoutMs         how long a fetch, and a login waiting for it, may take
 * @param issuer                the {@code iss} player tokens must carry, or empty for any
 * @param audience              the {@code aud} player tokens must name, or empty for any
 */
public record JwtConfig(String secret, int leewaySeconds, String jwksUrl, int jwksMinRefreshSeconds,
                        int jwksRefreshSeconds, int jwksTimeoutMs, String issuer, String audience) {
  public static JwtConfig from(JsonObject raw) {
    String secret = Conf.str(raw, "jwt.secret");
    String jwksUrl = Conf.str(raw, "jwt.jwksUrl").trim();
    if (!jwksUrl.isEmpty()) {
      checkUrl(jwksUrl);
    }
    if (secret.length() < 32 && !(secret.isEmpty() && !jwksUrl.isEmpty())) {
      throw new IllegalArgumentException("config jwt.secret must be at least 32 characters "
          + "(or empty, when jwt.jwksUrl gives the player token keys)");
    }
    int minRefresh = Conf.intIn(raw, "jwt.jwksMinRefreshSeconds", 1, 86400);
    int refresh = Conf.intIn(raw, "jwt.jwksRefreshSeconds", 1, 86400);
    if (refresh < minRefresh) {
      throw new IllegalArgumentException("config jwt.jwksRefreshSeconds (" + refresh
          + ") must not be less than jwt.jwksMinRefreshSeconds (" + minRefresh + ")");
    }
    return new JwtConfig(secret, Conf.intIn(raw, "jwt.leewaySeconds", 0, 300), jwksUrl, minRefresh, refresh,
        Conf.intIn(raw, "jwt.jwksTimeoutMs", 100, 60000), Conf.str(raw, "jwt.issuer").trim(),
        Conf.str(raw, "jwt.audience").trim());
  }

  public boolean hasSecret() {
    return !secret.isEmpty();
  }

  public boolean hasJwks() {
    return !jwksUrl.isEmpty();
  }

  private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost", "[::1]", "::1");

  private static void checkUrl(String url) {
    try {
      URI u = new URI(url);
      // Keys fetched over plain HTTP could be swapped by anyone on the path, minting any player's
      // token; plain HTTP is for an account service on this machine only.
      if (u.getHost() != null && ("https".equals(u.getScheme())
          || "http".equals(u.getScheme()) && LOOPBACK.contains(u.getHost().toLowerCase()))) {
        return;
      }
    } catch (Exception e) {
      // answered below with the key's name
    }
    throw new IllegalArgumentException("config jwt.jwksUrl must be an https URL (http only on loopback), not " + url);
  }
}
