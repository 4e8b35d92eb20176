package io.ravenpost.testkit;

import io.ravenpost.common.Tokens;
import io.vertx.core.json.JsonObject;

/**
 * Tokens as the game's account service would issue them (player secret) and as operators' tools
 * would (operator secret: {@code admin} and {@code service}).
 */
public final class TestTokens {
  private static final Tokens TOKENS = new Tokens(TestClient.vertx(), TestEnv.SECRET, 5);
  private static final Tokens OPERATOR = new Tokens(TestClient.vertx(), TestEnv.ADMIN_SECRET, 5);

  private TestTokens() {
  }

  public static String player(long uid) {
    return mint(new JsonObject().put("sub", Long.toString(uid)).put("role", "player")
        .put("created_at", System.currentTimeMillis() / 1000 - 3600));
  }

  public static String admin() {
    return OPERATOR.mint(new JsonObject().put("sub", "1").put("role", "admin"), 3600);
  }

  public static String service() {
    return OPERATOR.mint(new JsonObject().put("sub", "2").put("role", "service"), 3600);
  }

  /** A token signed with the operator secret (admin and service tokens with claims of the test's own). */
  public static String operator(JsonObject claims) {
    return OPERATOR.mint(claims, 3600);
  }

  /** A token with {@code role} signed with the player secret: never accepted on /admin or /internal. */
  public static String playerSigned(String role) {
    return mint(new JsonObject().put("sub", "1").put("role", role));
  }

  /** A token signed with the player secret. */
  public static String mint(JsonObject claims) {
    return TOKENS.mint(claims, 3600);
  }
}
