package io.ravenpost.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.common.config.JwtConfig;
import io.ravenpost.testkit.Await;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The token matrix: only HS256 with our key, unexpired, with an int64 sub, gets in. */
class TokensTest {
  private static final String SECRET = "a-test-secret-that-is-definitely-long-enough";
  private static final Vertx VERTX = Vertx.vertx();
  private static final Tokens TOKENS = new Tokens(VERTX, SECRET, 5);

  @AfterAll
  static void close() {
    VERTX.close();
  }

  @Test
  void validTokenGivesItsClaims() {
    String t = TOKENS.mint(new JsonObject().put("sub", "9007199254740993").put("name", "Ann")
        .put("created_at", 1700000000L).put("zone", "eu").put("level", 12)
        .put("tags", new JsonArray().add("vip")).put("role", "admin"), 60);
    Claims c = Await.result(TOKENS.verify(t));
    assertThat(c.uid()).isEqualTo(9007199254740993L);
    assertThat(c.role()).isEqualTo("admin");
    assertThat(c.name()).isEqualTo("Ann");
    assertThat(c.createdAt()).isEqualTo(1700000000L);
    assertThat(c.zone()).isEqualTo("eu");
    assertThat(c.level()).isEqualTo(12);
    assertThat(c.tags()).containsExactly("vip");
  }

  @Test
  void roleDefaultsToPlayer() {
    String t = TOKENS.mint(new JsonObject().put("sub", "5"), 60);
    assertThat(Await.result(TOKENS.verify(t)).role()).isEqualTo(Claims.PLAYER);
  }

  @Test
  void wrongKeyIsInvalid() {
    String t = new Tokens(VERTX, "another-secret-that-is-also-long-enough-xx", 5).mint(new JsonObject().put("sub", "5"), 60);
    assertThat(code(t)).isEqualTo(ErrorCode.AUTH_INVALID);
  }

  @Test
  void algNoneIsInvalid() {
    String header = b64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    long exp = System.currentTimeMillis() / 1000 + 600;
    String payload = b64("{\"sub\":\"5\",\"exp\":" + exp + "}");
    assertThat(code(header + "." + payload + ".")).isEqualTo(ErrorCode.AUTH_INVALID);
    assertThat(code(header + "." + payload)).isEqualTo(ErrorCode.AUTH_INVALID);
  }

  @Test
  void otherAlgorithmHeaderIsInvalid() {
    String good = TOKENS.mint(new JsonObject().put("sub", "5"), 60);
    String[] parts = good.split("\\.");
    String forged = b64("{\"alg\":\"HS512\",\"typ\":\"JWT\"}") + "." + parts[1] + "." + parts[2];
    assertThat(code(forged)).isEqualTo(ErrorCode.AUTH_INVALID);
  }

  @Test
  void expiredIsExpired() {
    long past = System.currentTimeMillis() / 1000 - 10;
    String t = sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"5\",\"exp\":" + past + "}", SECRET);
    assertThat(code(t)).isEqualTo(ErrorCode.AUTH_EXPIRED);
    long future = System.currentTimeMillis() / 1000 + 600;
    String fresh = sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"5\",\"exp\":" + future + "}", SECRET);
    assertThat(Await.result(TOKENS.verify(fresh)).uid()).isEqualTo(5L);
  }

  @Test
  void tokenWithoutExpIsInvalid() {
    String t = sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}", "{\"sub\":\"5\"}", SECRET);
    assertThat(code(t)).isEqualTo(ErrorCode.AUTH_INVALID);
  }

  @Test
  void malformedAndBadSubAreInvalid() {
    assertThat(code("")).isEqualTo(ErrorCode.AUTH_INVALID);
    assertThat(code("abc")).isEqualTo(ErrorCode.AUTH_INVALID);
    assertThat(code("a.b.c")).isEqualTo(ErrorCode.AUTH_INVALID);
    assertThat(code(TOKENS.mint(new JsonObject().put("sub", "not-a-number"), 60))).isEqualTo(ErrorCode.AUTH_INVALID);
    assertThat(code(TOKENS.mint(new JsonObject(), 60))).isEqualTo(ErrorCode.AUTH_INVALID);
    assertThat(code(TOKENS.mint(new JsonObject().put("sub", "5").put("role", "root"), 60))).isEqualTo(ErrorCode.AUTH_INVALID);
  }

  @Test
  void tamperedPayloadIsInvalid() {
    String good = TOKENS.mint(new JsonObject().put("sub", "5"), 60);
    String[] p = good.split("\\.");
    String payload = b64("{\"sub\":\"6\",\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + "}");
    assertThat(code(p[0] + "." + payload + "." + p[2])).isEqualTo(ErrorCode.AUTH_INVALID);
  }

  @Test
  void aUidThatIsNotPositiveIsInvalid() {
    assertThat(code(TOKENS.mint(new JsonObject().put("sub", "0"), 60))).isEqualTo(ErrorCode.AUTH_INVALID);
    assertThat(code(TOKENS.mint(new JsonObject().put("sub", "-5"), 60))).isEqualTo(ErrorCode.AUTH_INVALID);
    assertThat(code(TOKENS.mint(new JsonObject().put("sub", "+5"), 60))).isEqualTo(ErrorCode.AUTH_INVALID);
  }

  @Test
  void clockSkewWithinTheLeewayIsAccepted() {
    long now = System.currentTimeMillis() / 1000;
    String hs = "{\"alg\":\"HS256\",\"typ\":\"JWT\"}";
    String issuedAhead = sign(hs, "{\"sub\":\"5\",\"iat\":" + (now + 3) + ",\"exp\":" + (now + 600) + "}", SECRET);
    String notBeforeAhead = sign(hs, "{\"sub\":\"5\",\"nbf\":" + (now + 3) + ",\"exp\":" + (now + 600) + "}", SECRET);
    String justExpired = sign(hs, "{\"sub\":\"5\",\"exp\":" + (now - 2) + "}", SECRET);
    assertThat(Await.result(TOKENS.verify(issuedAhead)).uid()).as("iat 3 s ahead of this clock").isEqualTo(5L);
    assertThat(Await.result(TOKENS.verify(notBeforeAhead)).uid()).as("nbf 3 s ahead").isEqualTo(5L);
    assertThat(Await.result(TOKENS.verify(justExpired)).uid()).as("exp 2 s behind").isEqualTo(5L);
    String farAhead = sign(hs, "{\"sub\":\"5\",\"iat\":" + (now + 60) + ",\"exp\":" + (now + 600) + "}", SECRET);
    String longExpired = sign(hs, "{\"sub\":\"5\",\"exp\":" + (now - 60) + "}", SECRET);
    assertThat(code(farAhead)).isEqualTo(ErrorCode.AUTH_INVALID);
    assertThat(code(longExpired)).isEqualTo(ErrorCode.AUTH_EXPIRED);
    Tokens strict = new Tokens(VERTX, SECRET, 0);
    assertThat(Errors.codeOf(Await.failure(strict.verify(issuedAhead)))).as("without leeway").isEqualTo(ErrorCode.AUTH_INVALID);
  }

  @Test
  void withoutAPlayerSecretNoHs256TokenGetsIn() {
    JwtConfig jwksOnly = new JwtConfig("", 5, "http://127.0.0.1:9/jwks.json", 30, 300, 2000, "", "");
    Tokens players = Tokens.player(VERTX, jwksOnly, false, new SimpleMeterRegistry());
    String hs = sign("{\"alg\":\"HS256\",\"typ\":\"JWT\"}",
        "{\"sub\":\"5\",\"exp\":" + (System.currentTimeMillis() / 1000 + 600) + "}", "x");
    assertThat(Errors.codeOf(Await.failure(players.verify(hs)))).isEqualTo(ErrorCode.AUTH_INVALID);
    assertThat(Errors.codeOf(Await.failure(players.verify(TOKENS.mint(new JsonObject().put("sub", "5"), 60)))))
        .isEqualTo(ErrorCode.AUTH_INVALID);
  }

  private static ErrorCode code(String token) {
    return Errors.codeOf(Await.failure(TOKENS.verify(token)));
  }

  private static String sign(String header, String payload, String secret) {
    try {
      String input = b64(header) + "." + b64(payload);
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return input + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(
          mac.doFinal(input.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
