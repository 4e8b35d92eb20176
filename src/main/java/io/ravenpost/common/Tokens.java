package io.ravenpost.common;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.ravenpost.api.Uid;
import io.ravenpost.api.text.Locales;
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
 * Verifies and mints the HS256 JWTs of PROTOCOL.md. Only HS256 with the configured secret is
 * accepted: {@code alg: none}, other algorithms, other keys and expired tokens are refused.
 */
public final class Tokens {
  private static final int MAX_TOKEN_CHARS = 8192;

  private final JWTAuth auth;

  /** @param leewaySeconds clock skew accepted on {@code iat}, {@code nbf} and {@code exp} */
  public Tokens(Vertx vertx, String secret, int leewaySeconds) {
    this.auth = JWTAuth.create(vertx, new JWTAuthOptions()
        .addPubSecKey(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret))
        .setJWTOptions(new JWTOptions().setAlgorithm("HS256").setLeeway(leewaySeconds)));
  }

  public Future<Claims> verify(String token) {
    if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
      return Future.failedFuture(ErrorCode.AUTH_INVALID.error("token missing or too long"));
    }
    if (!"HS256".equals(headerAlg(token))) {
      return Future.failedFuture(ErrorCode.AUTH_INVALID.error("only HS256 tokens are accepted"));
    }
    return auth.authenticate(new TokenCredentials(token))
        .recover(t -> Future.failedFuture(refusal(token, t)))
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

  private static String headerAlg(String token) {
    int dot = token.indexOf('.');
    if (dot <= 0) {
      return null;
    }
    try {
      String header = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)));
      return new JsonObject(header).getString("alg");
    } catch (RuntimeException e) {
      return null;
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
