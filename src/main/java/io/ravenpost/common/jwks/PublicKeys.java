package io.ravenpost.common.jwks;

import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.util.Base64;

/**
 * Checks that a JWK's public numbers make a real key before Vert.x is given it. Vert.x logs a key
 * it cannot read and keeps its {@code kid} with no key behind it, a verifier that accepts unsigned
 * tokens; so a key that does not decode strictly, an RSA modulus under 2048 bits, or an EC point off
 * P-256 is left out here.
 */
final class PublicKeys {
  private static final int MIN_RSA_BITS = 2048;
  // P-256 (secp256r1): y^2 = x^3 + ax + b over the prime field p.
  private static final BigInteger P = new BigInteger(
      "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
  private static final BigInteger A = P.subtract(BigInteger.valueOf(3));
  private static final BigInteger B = new BigInteger(
      "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b", 16);

  private PublicKeys() {
  }

  /** Throws IllegalArgumentException naming what is wrong with the public part {@code pub}. */
  static void check(JsonObject pub) {
    switch (pub.getString("alg")) {
      case "RS256" -> rsa(pub);
      case "ES256" -> ec(pub);
      default -> throw new IllegalArgumentException("no algorithm for key type " + pub.getValue("kty"));
    }
  }

  private static void rsa(JsonObject pub) {
    BigInteger n = unsigned(pub.getString("n"), "n");
    BigInteger e = unsigned(pub.getString("e"), "e");
    if (n.bitLength() < MIN_RSA_BITS) {
      throw new IllegalArgumentException("RSA modulus of " + n.bitLength() + " bits (at least " + MIN_RSA_BITS + ")");
    }
    if (e.compareTo(BigInteger.valueOf(3)) < 0 || !e.testBit(0)) {
      throw new IllegalArgumentException("RSA exponent is not an odd number of at least 3");
    }
  }

  private static void ec(JsonObject pub) {
    byte[] xb = decode(pub.getString("x"), "x");
    byte[] yb = decode(pub.getString("y"), "y");
    if (xb.length != 32 || yb.length != 32) {
      throw new IllegalArgumentException("P-256 coordinates must be 32 bytes each");
    }
    BigInteger x = new BigInteger(1, xb);
    BigInteger y = new BigInteger(1, yb);
    if (x.compareTo(P) >= 0 || y.compareTo(P) >= 0
        || !y.multiply(y).mod(P).equals(x.pow(3).add(A.multiply(x)).add(B).mod(P))) {
      throw new IllegalArgumentException("the point is not on P-256");
    }
  }

  private static BigInteger unsigned(String b64, String member) {
    byte[] bytes = decode(b64, member);
    if (bytes.length == 0) {
      throw new IllegalArgumentException(member + " is empty");
    }
    return new BigInteger(1, bytes);
  }

  /** Base64url without padding, as RFC 7518 writes key members; '+', '/' or '=' are refused. */
  private static byte[] decode(String b64, String member) {
    if (b64 == null || !b64.matches("[A-Za-z0-9_-]*")) {
      throw new IllegalArgumentException(member + " is not base64url");
    }
    return Base64.getUrlDecoder().decode(b64);
  }
}
