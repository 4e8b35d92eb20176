package io.ravenpost.common.jwks;

import static io.ravenpost.common.jwks.JwksNodes.AUDIENCE;
import static io.ravenpost.common.jwks.JwksNodes.ISSUER;
import static io.ravenpost.common.jwks.JwksNodes.issued;
import static io.ravenpost.common.jwks.JwksNodes.loggedIn;
import static io.ravenpost.common.jwks.JwksNodes.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Players log in over the WebSocket gate with tokens the account service signed RS256 or ES256 and
 * whose keys it publishes as a JWKS; tokens that only look like them are refused AUTH_INVALID.
 */
class JwksLoginTest {
  private static final SigningKey RSA = SigningKey.rsa();
  private static final SigningKey EC = SigningKey.ec();
  /** Published by mistake: a shared secret, and an RSA key labelled for HMAC. */
  private static final String OCT_KID = "shared-secret";
  private static final byte[] OCT_SECRET = "a-secret-the-jwks-should-never-have-listed"
      .getBytes(StandardCharsets.UTF_8);
  private static final SigningKey MISLABELLED = SigningKey.rsa();
  /**
   * Keys Vert.x cannot read: it logs them and keeps their kid with no key behind it, a verifier that
   * took tokens without a signature. An empty modulus, standard base64 where base64url belongs, a
   * 512-bit modulus, an EC point that is not base64url or not on the curve.
   */
  private static final List<JsonObject> BROKEN = List.of(
      new JsonObject().put("kty", "RSA").put("kid", "empty-n").put("n", "").put("e", "AQAB"),
      RSA.jwk().put("kid", "standard-base64").put("n", RSA.jwk().getString("n").replace('-', '+').replace('_', '/') + "+/"),
      SigningKey.rsa(512).jwk().put("kid", "short-modulus"),
      EC.jwk().put("kid", "bad-x").put("x", "ab+/"),
      EC.jwk().put("kid", "off-curve").put("y", EC.jwk().getString("x")));
  private static TestJwks jwks;
  private static TestCluster cluster;
  private static RavenNode node;

  @BeforeAll
  static void start() {
    jwks = TestJwks.start();
    jwks.publishRaw(new JsonArray().add(RSA.jwk()).add(EC.jwk()).add(MISLABELLED.jwk().put("alg", "HS256"))
        .add(new JsonObject().put("kty", "oct").put("kid", OCT_KID).put("alg", "HS256")
            .put("k", Base64.getUrlEncoder().withoutPadding().encodeToString(OCT_SECRET)))
        .addAll(new JsonArray(BROKEN)));
    cluster = JwksNodes.start(jwks, 1);
    node = cluster.node(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
    jwks.close();
  }

  @Test
  void rs256AndEs256PlayersLogIn() {
    long a = TestEnv.randomUid();
    long b = TestEnv.randomUid();
    assertThat(loggedIn(node, RSA.player(a, issued()))).isEqualTo(a);
    assertThat(loggedIn(node, EC.player(b, issued()))).isEqualTo(b);
  }

  @Test
  void hs256PlayerTokensStillLogInAlongside() {
    long uid = TestEnv.randomUid();
    String hs = TestTokens.mint(issued().put("sub", Long.toString(uid)));
    assertThat(loggedIn(node, hs)).isEqualTo(uid);
  }

  @Test
  void hs256SignedWithAPublicKeyIsRefused() {
    JsonObject claims = claims(TestEnv.randomUid());
    for (SigningKey k : new SigningKey[] {RSA, EC}) {
      JsonObject header = new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", k.kid());
      for (String secret : new String[] {k.pem(), k.pem().trim(), k.jwk().encode()}) {
        String forged = SigningKey.hs256(header, claims, secret.getBytes(StandardCharsets.UTF_8));
        assertThat(refusal(node, forged)).as("HS256 keyed with %s's public key", k.kid())
            .isEqualTo(ErrorCode.AUTH_INVALID);
      }
    }
  }

  @Test
  void keysTheJwksListsForHmacAreNeverUsed() {
    long uid = TestEnv.randomUid();
    JsonObject hs = new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", OCT_KID);
    assertThat(refusal(node, SigningKey.hs256(hs, claims(uid), OCT_SECRET))).isEqualTo(ErrorCode.AUTH_INVALID);
    assertThat(refusal(node, MISLABELLED.player(uid, issued()))).isEqualTo(ErrorCode.AUTH_INVALID);
    JsonObject asHmac = new JsonObject().put("alg", "HS256").put("kid", MISLABELLED.kid());
    assertThat(refusal(node, SigningKey.hs256(asHmac, claims(uid), MISLABELLED.pem().getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(ErrorCode.AUTH_INVALID);
    Poll.until("the JWKS is fetched", 10_000,
        () -> JwksNodes.metric(node, "raven_jwks_refreshes_total", "result=\"ok\"") >= 1);
    assertThat(JwksNodes.metric(node, "raven_jwks_keys", "")).as("only the RSA and EC signing keys").isEqualTo(2.0);
  }

  @Test
  void algNoneIsRefused() {
    JsonObject claims = claims(TestEnv.randomUid());
    for (String kid : new String[] {RSA.kid(), EC.kid(), null}) {
      JsonObject header = new JsonObject().put("alg", "none").put("typ", "JWT");
      if (kid != null) {
        header.put("kid", kid);
      }
      String unsigned = SigningKey.b64(header.encode()) + "." + SigningKey.b64(claims.encode());
      assertThat(refusal(node, unsigned + ".")).isEqualTo(ErrorCode.AUTH_INVALID);
      assertThat(refusal(node, unsigned)).isEqualTo(ErrorCode.AUTH_INVALID);
    }
  }

  @Test
  void unreadableKeysNeverVerifyAndUnsignedTokensNeverLogIn() {
    JsonObject claims = claims(TestEnv.randomUid());
    for (JsonObject broken : BROKEN) {
      String alg = "EC".equals(broken.getString("kty")) ? "ES256" : "RS256";
      JsonObject header = new JsonObject().put("alg", alg).put("typ", "JWT").put("kid", broken.getString("kid"));
      String unsigned = SigningKey.b64(header.encode()) + "." + SigningKey.b64(claims.encode());
      for (String t : new String[] {unsigned, unsigned + ".", unsigned + ".c2ln"}) {
        assertThat(refusal(node, t)).as("%s under the unreadable key %s", t, broken.getString("kid"))
            .isEqualTo(ErrorCode.AUTH_INVALID);
      }
    }
    String unsigned = SigningKey.b64(new JsonObject().put("alg", "RS256").put("kid", RSA.kid()).encode()) + "."
        + SigningKey.b64(claims.encode());
    assertThat(refusal(node, unsigned)).as("no signature under a good key").isEqualTo(ErrorCode.AUTH_INVALID);
    assertThat(refusal(node, unsigned + ".")).as("an empty signature under a good key").isEqualTo(ErrorCode.AUTH_INVALID);
  }

  @Test
  void aKeyOnlySignsWithItsOwnAlgorithmAndItsOwnSignature() {
    long uid = TestEnv.randomUid();
    // A good ES256 signature presented as RS256 under the RSA key's kid, and the other way round.
    String es = EC.sign(new JsonObject().put("alg", "RS256").put("kid", RSA.kid()), claims(uid));
    String rs = RSA.sign(new JsonObject().put("alg", "ES256").put("kid", EC.kid()), claims(uid));
    // Another key pair claiming to be a published key.
    String impostor = SigningKey.rsa().sign(new JsonObject().put("alg", "RS256").put("kid", RSA.kid()), claims(uid));
    String noKid = RSA.sign(new JsonObject().put("alg", "RS256"), claims(uid));
    for (String t : new String[] {es, rs, impostor, noKid}) {
      assertThat(refusal(node, t)).isEqualTo(ErrorCode.AUTH_INVALID);
    }
  }

  @Test
  void issuerAndAudienceAreChecked() {
    long uid = TestEnv.randomUid();
    JsonObject[] wrong = {
        new JsonObject().put("iss", "https://elsewhere.example.test").put("aud", AUDIENCE),
        new JsonObject().put("aud", AUDIENCE),
        new JsonObject().put("iss", ISSUER).put("aud", "another-service"),
        new JsonObject().put("iss", ISSUER)};
    for (JsonObject claims : wrong) {
      assertThat(refusal(node, RSA.player(uid, claims))).as("claims %s", claims).isEqualTo(ErrorCode.AUTH_INVALID);
      assertThat(refusal(node, TestTokens.mint(claims.copy().put("sub", Long.toString(uid)))))
          .as("HS256 with claims %s", claims).isEqualTo(ErrorCode.AUTH_INVALID);
    }
    JsonObject listed = new JsonObject().put("iss", ISSUER).put("aud", new JsonArray().add("game").add(AUDIENCE));
    assertThat(loggedIn(node, EC.player(uid, listed))).isEqualTo(uid);
  }

  @Test
  void anExpiredTokenIsExpired() {
    long now = System.currentTimeMillis() / 1000;
    JsonObject claims = issued().put("sub", "7").put("iat", now - 7200).put("exp", now - 3600);
    String t = RSA.sign(new JsonObject().put("alg", "RS256").put("kid", RSA.kid()), claims);
    assertThat(refusal(node, t)).isEqualTo(ErrorCode.AUTH_EXPIRED);
  }

  private static JsonObject claims(long uid) {
    return issued().put("sub", Long.toString(uid)).put("exp", System.currentTimeMillis() / 1000 + 3600);
  }
}
