package io.ravenpost.common.jwks;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key pair as a game's account service holds one: it signs player tokens (RS256 with RSA, ES256
 * with EC P-256) and publishes its public half as a JWK.
 */
public final class SigningKey {
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final String kid;
  private final String alg;
  private final KeyPair pair;

  private SigningKey(String alg, KeyPair pair) {
    this.kid = alg.toLowerCase() + "-" + UUID.randomUUID();
    this.alg = alg;
    this.pair = pair;
  }

  public static SigningKey rsa() {
    return rsa(2048);
  }

  public static SigningKey rsa(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return new SigningKey("RS256", g.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static SigningKey ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return new SigningKey("ES256", g.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public String kid() {
    return kid;
  }

  /** The public half as the account service's JWKS lists it. */
  public JsonObject jwk() {
    JsonObject j = new JsonObject().put("kid", kid).put("use", "sig").put("alg", alg);
    if (pair.getPublic() instanceof RSAPublicKey r) {
      return j.put("kty", "RSA").put("n", unsigned(r.getModulus(), 0)).put("e", unsigned(r.getPublicExponent(), 0));
    }
    ECPublicKey e = (ECPublicKey) pair.getPublic();
    return j.put("kty", "EC").put("crv", "P-256").put("x", unsigned(e.getW().getAffineX(), 32))
        .put("y", unsigned(e.getW().getAffineY(), 32));
  }

  /** The public half as PEM, the text an attacker would use as an HMAC secret. */
  public String pem() {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(pair.getPublic().getEncoded());
    return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----\n";
  }

  /** A player token for {@code uid}, valid for an hour, with {@code extra} claims. */
  public String player(long uid, JsonObject extra) {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = new JsonObject().put("sub", Long.toString(uid)).put("iat", now).put("exp", now + 3600)
        .mergeIn(extra);
    return sign(new JsonObject().put("alg", alg).put("typ", "JWT").put("kid", kid), claims);
  }

  /** A token with this key's header and {@code claims}, signed by this key. */
  public String sign(JsonObject header, JsonObject claims) {
    String input = b64(header.encode()) + "." + b64(claims.encode());
    try {
      Signature s = Signature.getInstance(alg.equals("RS256") ? "SHA256withRSA" : "SHA256withECDSAinP1363Format");
      s.initSign(pair.getPrivate());
      s.update(input.getBytes(StandardCharsets.US_ASCII));
      return input + "." + B64.encodeToString(s.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token "signed" HS256 with {@code secret}, as an attacker holding only public material makes one. */
  public static String hs256(JsonObject header, JsonObject claims, byte[] secret) {
    String input = b64(header.encode()) + "." + b64(claims.encode());
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String b64(String json) {
    return B64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static String unsigned(BigInteger v, int width) {
    byte[] b = v.toByteArray();
    if (b.length > 1 && b[0] == 0) {
      b = Arrays.copyOfRange(b, 1, b.length);
    }
    if (b.length < width) {
      byte[] padded = new byte[width];
      System.arraycopy(b, 0, padded, width - b.length, b.length);
      b = padded;
    }
    return B64.encodeToString(b);
  }
}
