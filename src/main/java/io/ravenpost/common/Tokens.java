package io.ravenpost.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.ravenpost.api.Uid;
import io.ravenpost.api.text.Locales;
import io.ravenpost.common.config.JwtConfig;
import io.ravenpost.common.jwks.JwksKeys;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Verifies and mints the JWTs of PROTOCOL.md: HS256 with the configured secret and, for player
 * tokens, RS256/ES256 with the account service's JWKS keys, each key for its own algorithm only.
 * {@code alg: none}, other algorithms, other keys and expired tokens are refused.
 */
public final class Tokens {
  private static final int MAX_TOKEN_CHARS = 8192;

  /** Null when HS256 tokens are not accepted (player tokens only from the JWKS). */
  private final JWTAuth auth;
  /** Null when no JWKS is configured (or this node verifies no player tokens). */
  private final JwksKeys jwks;

  /** @param leewaySeconds clock skew accepted on {@code iat}, {@code nbf} and {@code exp} */
  public Tokens(Vertx vertx, String secret, int leewaySeconds) {
    this(vertx, secret, new JWTOptions().setLeeway(leewaySeconds), null);
  }

  private Tokens(Vertx vertx, String secret, JWTOptions checks, JwksKeys jwks) {
    this.auth = secret.isEmpty() ? null : JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
        .setJWTOptions(new JWTOptions(checks).setAlgorithm("HS256")));
    this.jwks = jwks;
  }

  /**
   * Player tokens as {@code jwt} configures them: the player secret, the issuer and audience checks,
   * and, with {@code withJwks}, the JWKS keys (fetched from now on).
   */
  public static Tokens player(Vertx vertx, JwtConfig jwt, boolean withJwks, MeterRegistry metrics) {
    JWTOptions checks = new JWTOptions().setLeeway(jwt.leewaySeconds());
    if (!jwt.issuer().isEmpty()) {
      checks.setIssuer(jwt.issuer());
    }
    if (!jwt.audience().isEmpty()) {
      checks.addAudience(jwt.audience());
    }
    JwksKeys keys = withJwks && jwt.hasJwks() ? JwksKeys.start(vertx, jwt, checks, metrics) : null;
    return new Tokens(vertx, jwt.secret(), checks, keys);
  }

  public Future<Claims> verify(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      return Future.failedFuture(ErrorCode.AUTH_INVALID.error("token missing or too long"));
    }
    // Header, payload and a signature, each non-empty: a verifier that lost its key would take a
    // token without a signature, so one is never passed on.
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      return Future.failedFuture(ErrorCode.AUTH_INVALID.error("token is not header.payload.signature"));
    }
    JsonObject header = header(token);
    String alg = header.getValue("alg") instanceof String s ? s : "";
    Future<JWTAuth> verifier;
    if ("HS256".equals(alg) && auth != null) {
      verifier = Future.succeededFuture(auth);
    } else if (jwks != null && !"HS256".equals(alg)) {
      verifier = jwks.key(header.getValue("kid") instanceof String s ? s : null, alg).map(JwksKeys.Key::auth);
    } else {
      return Future.failedFuture(ErrorCode.AUTH_INVALID.error("algorithm " + alg + " is not accepted"));
    }
    return verifier
        .compose(a -> a.authenticate(new TokenCredentials(token))
            .recover(t -> Future.failedFuture(refusal(token, t))))
        .compose(user -> {
          // Vert.x keeps the verified payload (with exp) under attributes.accessToken.
          JsonObject p = user.attributes().getJsonObject("accessToken", user.principal());
          if (!p.containsKey("exp")) {
            return Future.failedFuture(ErrorCode.AUTH_INVALID.error("token has no exp"));
          }
          try {
            return Future.succeededFuture(claims(p));
          } catch (RuntimeException e) {
            return Future.failedFuture(ErrorCode.AUTH_INVALID.error("bad claim: " + e.getMessage()));
          }
        });
  }

  /** Mints a token; used by the dev command, tests and the benchmark. */
  public String mint(JsonObject claims, long ttlSeconds) {
    if (auth == null) {
      throw new IllegalStateException("no HS256 secret: tokens come from the account service's JWKS");
    }
    return auth.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds((int) ttlSeconds));
  }

  /**
   * Vert.x calls every time check "expired"; only a past {@code exp} is. A token issued (iat) or
   * valid (nbf) later than this clock plus the leeway is simply not valid.
   */
  private RavenException refusal(String token, Throwable t) {
    String m = String.valueOf(t.getMessage()).toLowerCase();
    if (m.contains("expired")) {
      Object exp = payload(token).getValue("exp");
      if (exp instanceof Number n && n.longValue() * 1000 <= System.currentTimeMillis()) {
        return ErrorCode.AUTH_EXPIRED.error("token expired");
      }
      return ErrorCode.AUTH_INVALID.error("token not valid yet: iat or nbf ahead of this server's clock");
    }
    return ErrorCode.AUTH_INVALID.error("token refused");
  }

  private static JsonObject payload(String token) {
    String[] parts = token.split("\\.");
    try {
      return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1])));
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  private static JsonObject header(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return new JsonObject();
    }
    try {
      return new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, dot))));
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  private static Claims claims(JsonObject p) {
    Long uid = p.getValue("sub") == null ? null : Uid.tryParse(p.getValue("sub").toString());
    // The gate reads uid 0 as "not logged in": such a session's entry would never be released.
    if (uid == null || uid <= 0) {
      throw new IllegalArgumentException("sub must be a positive decimal int64 uid");
    }
    String role = p.getString("role", Claims.PLAYER);
    if (!List.of(Claims.PLAYER, Claims.SERVICE, Claims.ADMIN).contains(role)) {
      throw new IllegalArgumentException("unknown role " + role);
    }
    Object created = p.getValue("created_at");
    Object level = p.getValue("level");
    List<String> tags = null;
    if (p.getValue("tags") instanceof JsonArray a) {
      tags = new ArrayList<>();
      for (Object o : a) {
        tags.add(String.valueOf(o));
      }
    }
    return new Claims(uid, role, p.getString("name"),
        created instanceof Number n ? n.longValue() : null, p.getString("zone"),
        level instanceof Number n ? n.intValue() : null, tags, Locales.orNull(p.getString("locale")));
  }
}
