package io.ravenpost.testkit;

import io.ravenpost.common.Tokens;
import io.vertx.core.json.JsonObject;

/** Tokens signed with the test secret, as the game's account service would issue them. */
public final class TestTokens {
  private static final Tokens TOKENS = new Tokens(TestClient.vertx(), TestEnv.SECRET, 5);

  private TestTokens() {
  }

  public static String player(long uid) {
    return mint(new JsonObject().put("sub", Long.toString(uid)).put("role", "player")
        .put("created_at", System.currentTimeMillis() / 1000 - 3600));
  }

  public static String admin() {
    return mint(new JsonObject().put("sub", "1").put("role", "admin"));
  }

  public static String service() {
    return mint(new JsonObject().put("sub", "2").put("role", "service"));
  }

  public static String mint(JsonObject claims) {
    return TOKENS.mint(claims, 3600);
  }
}
