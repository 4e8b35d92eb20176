package io.ravenpost.common.jwks;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestHttp;
import io.vertx.core.json.JsonObject;

/** A node that takes player tokens from a test JWKS, and what a client and an operator see of it. */
final class JwksNodes {
  static final String ISSUER = "https://accounts.example.test";
  static final String AUDIENCE = "ravenpost";
  static final int TIMEOUT_MS = 2000;

  private JwksNodes() {
  }

  static TestCluster start(TestJwks jwks, int minRefreshSeconds) {
    return start(jwks, minRefreshSeconds, TIMEOUT_MS);
  }

  static TestCluster start(TestJwks jwks, int minRefreshSeconds, int timeoutMs) {
    return TestCluster.start(1, new JsonObject().put("jwt", new JsonObject().put("jwksUrl", jwks.url())
        .put("jwksMinRefreshSeconds", minRefreshSeconds).put("jwksTimeoutMs", timeoutMs)
        .put("issuer", ISSUER).put("audience", AUDIENCE)));
  }

  /** The claims the account service puts in every player token. */
  static JsonObject issued() {
    return new JsonObject().put("iss", ISSUER).put("aud", AUDIENCE);
  }

  /** The reply of a login on a fresh connection: its body, or the error it got. */
  static JsonObject login(RavenNode node, String token) {
    TestClient c = TestClient.ws(node.wsPort());
    try {
      return Await.result(c.request("auth.login", new JsonObject().put("token", token)));
    } finally {
      c.close();
    }
  }

  /** The uid a login got in, or null when it was refused. */
  static Long loggedIn(RavenNode node, String token) {
    JsonObject r = login(node, token);
    return r.getBoolean("ok", false) ? r.getJsonObject("body").getLong("uid") : null;
  }

  /** The error code of a login that must be refused. */
  static ErrorCode refusal(RavenNode node, String token) {
    JsonObject r = login(node, token);
    if (r.getBoolean("ok", false)) {
      throw new AssertionError("login succeeded but was expected to be refused: " + r.encode());
    }
    return ErrorCode.valueOf(r.getJsonObject("error").getString("code"));
  }

  /** The sum of a metric's samples on the node's /metrics whose line contains {@code tag}. */
  static double metric(RavenNode node, String name, String tag) {
    String metrics = TestHttp.get(node.adminPort(), "/metrics", null).body();
    return metrics.lines().filter(l -> l.startsWith(name) && l.contains(tag))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }
}
