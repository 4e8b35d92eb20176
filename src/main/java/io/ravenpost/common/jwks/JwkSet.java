package io.ravenpost.common.jwks;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a JWKS document into one verifier per {@code kid}. Each verifier holds one public key and
 * the one algorithm its type allows (RSA: RS256, EC P-256: ES256), so a token can never choose how
 * a key is used: HS256 "signed" with a public key, or {@code alg: none}, finds no verifier.
 */
final class JwkSet {
  /** The algorithms a JWKS key may sign player tokens with. */
  static final Set<String> ALGORITHMS = Set.of("RS256", "ES256");
  /** Account services publish a handful (current, next, previous); more is a broken or hostile answer. */
  static final int MAX_KEYS = 50;
  private static final Logger LOG = LoggerFactory.getLogger(JwkSet.class);

  private JwkSet() {
  }

  /**
   * The usable keys of {@code body}; keys of other types, uses or algorithms are left out. Fails
   * when the document itself is not a JWKS, so a broken answer never empties the cache.
   */
  static Map<String, JwksKeys.Key> parse(Vertx vertx, Buffer body, JWTOptions checks) {
    JsonArray keys = new JsonObject(body).getJsonArray("keys");
    if (keys == null) {
      throw new IllegalArgumentException("the JWKS has no keys array");
    }
    if (keys.size() > MAX_KEYS) {
      throw new IllegalArgumentException("the JWKS has " + keys.size() + " keys (at most " + MAX_KEYS + ")");
    }
    Map<String, JwksKeys.Key> out = new HashMap<>();
    for (Object o : keys) {
      JwksKeys.Key k = o instanceof JsonObject jwk ? key(vertx, jwk, checks) : null;
      if (k != null) {
        out.putIfAbsent(k.kid(), k);
      }
    }
    return Map.copyOf(out);
  }

  private static JwksKeys.Key key(Vertx vertx, JsonObject jwk, JWTOptions checks) {
    String kid = jwk.getValue("kid") instanceof String s && !s.isEmpty() ? s : null;
    JsonObject pub = publicPart(jwk);
    String declared = jwk.getValue("alg") instanceof String s ? s : null;
    Object use = jwk.getValue("use");
    if (kid == null || pub == null || (declared != null && !declared.equals(pub.getString("alg")))
        || (use != null && !"sig".equals(use))) {
      return null;
    }
    try {
      PublicKeys.check(pub);
      JWTAuth auth = JWTAuth.create(vertx, new JWTAuthOptions().addJwk(pub)
          .setJWTOptions(new JWTOptions(checks).setAlgorithm(pub.getString("alg"))));
      return new JwksKeys.Key(kid, pub.getString("alg"), auth);
    } catch (RuntimeException e) {
      LOG.warn("JWKS key {} left out: {}", kid, e.getMessage());
      return null;
    }
  }

  /**
   * Only the public members are kept (a private exponent or a certificate chain published by
   * mistake is never loaded), with the algorithm this node allows for the key's type.
   */
  private static JsonObject publicPart(JsonObject jwk) {
    Object kty = jwk.getValue("kty");
    JsonObject pub = new JsonObject().put("kty", kty).put("kid", jwk.getValue("kid")).put("use", "sig");
    if ("RSA".equals(kty) && jwk.getValue("n") instanceof String n && jwk.getValue("e") instanceof String e) {
      return pub.put("alg", "RS256").put("n", n).put("e", e);
    }
    if ("EC".equals(kty) && "P-256".equals(jwk.getValue("crv")) && jwk.getValue("x") instanceof String x
        && jwk.getValue("y") instanceof String y) {
      return pub.put("alg", "ES256").put("crv", "P-256").put("x", x).put("y", y);
    }
    return null;
  }
}
