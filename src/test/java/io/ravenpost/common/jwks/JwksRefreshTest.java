package io.ravenpost.common.jwks;

import static io.ravenpost.common.jwks.JwksNodes.issued;
import static io.ravenpost.common.jwks.JwksNodes.loggedIn;
import static io.ravenpost.common.jwks.JwksNodes.metric;
import static io.ravenpost.common.jwks.JwksNodes.refusal;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The account service rotates its keys, goes down and hangs; the node follows the rotation, keeps
 * the keys it knows while the JWKS is unreachable, never makes a login wait longer than its fetch
 * timeout, and does not let unknown kids turn into a flood of fetches.
 */
class JwksRefreshTest {
  private static final String REFRESHES = "raven_jwks_refreshes_total";

  @Test
  void aRotatedKeyLogsInOnceFetchedAndTheWithdrawnOneIsRefused() {
    SigningKey old = SigningKey.rsa();
    SigningKey next = SigningKey.ec();
    try (TestJwks jwks = TestJwks.start(old); TestCluster cluster = JwksNodes.start(jwks, 1)) {
      RavenNode node = cluster.node(0);
      long uid = TestEnv.randomUid();
      assertThat(loggedIn(node, old.player(uid, issued()))).isEqualTo(uid);
      assertThat(metric(node, "raven_jwks_keys", "")).isEqualTo(1.0);

      jwks.publish(next);
      // The first login naming the new kid fetches, unless the last fetch was under a second ago.
      Poll.until("a login with the new key gets in", 10_000, () -> loggedIn(node, next.player(uid, issued())) != null);
      assertThat(refusal(node, old.player(uid, issued()))).isEqualTo(ErrorCode.AUTH_INVALID);
      assertThat(metric(node, REFRESHES, "result=\"ok\"")).isGreaterThanOrEqualTo(2.0);
    }
  }

  @Test
  void whileTheJwksIsDownOrHangingKnownKeysKeepLoggingIn() {
    SigningKey known = SigningKey.rsa();
    try (TestJwks jwks = TestJwks.start(known); TestCluster cluster = JwksNodes.start(jwks, 1)) {
      RavenNode node = cluster.node(0);
      long uid = TestEnv.randomUid();
      assertThat(loggedIn(node, known.player(uid, issued()))).isEqualTo(uid);

      jwks.mode(TestJwks.Mode.DOWN);
      SigningKey unpublished = SigningKey.ec();
      Poll.until("a fetch for an unknown kid fails", 10_000, () -> {
        assertThat(refusal(node, unpublished.player(uid, issued()))).isEqualTo(ErrorCode.AUTH_INVALID);
        return metric(node, REFRESHES, "result=\"failed\"") >= 1.0;
      });
      assertThat(loggedIn(node, known.player(uid, issued()))).isEqualTo(uid);
      assertThat(metric(node, "raven_jwks_keys", "")).isEqualTo(1.0);

      jwks.mode(TestJwks.Mode.HANGING);
      int before = jwks.requests();
      Poll.until("a login waits on the hanging JWKS", 10_000, () -> {
        long t0 = System.currentTimeMillis();
        assertThat(refusal(node, unpublished.player(uid, issued()))).isEqualTo(ErrorCode.AUTH_INVALID);
        // Bounded by the fetch timeout, well inside the gate's own login deadline.
        assertThat(System.currentTimeMillis() - t0).isLessThan(JwksNodes.TIMEOUT_MS + 1500L);
        return jwks.requests() > before;
      });
      assertThat(loggedIn(node, known.player(uid, issued()))).isEqualTo(uid);

      jwks.mode(TestJwks.Mode.UP);
      jwks.publish(known, unpublished);
      Poll.until("the JWKS is back and the new key logs in", 10_000,
          () -> loggedIn(node, unpublished.player(uid, issued())) != null);
    }
  }

  @Test
  void unknownKidsFetchAtMostOncePerInterval() {
    SigningKey known = SigningKey.rsa();
    // A long fetch timeout: the start-up fetch must not give up on a busy machine, or nothing would
    // be known for the next minute.
    try (TestJwks jwks = TestJwks.start(known); TestCluster cluster = JwksNodes.start(jwks, 60, 20_000)) {
      RavenNode node = cluster.node(0);
      long uid = TestEnv.randomUid();
      Poll.until("the start-up fetch is counted", 20_000, () -> metric(node, REFRESHES, "result=\"ok\"") >= 1.0);
      assertThat(loggedIn(node, known.player(uid, issued()))).isEqualTo(uid);
      assertThat(jwks.requests()).isEqualTo(1);

      SigningKey later = SigningKey.ec();
      jwks.publish(known, later);
      List<TestClient> clients = new ArrayList<>();
      List<Future<JsonObject>> logins = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        SigningKey stranger = i % 2 == 0 ? SigningKey.ec() : later;
        TestClient c = TestClient.ws(node.wsPort());
        clients.add(c);
        logins.add(c.request("auth.login", new JsonObject().put("token", stranger.player(uid + 1 + i, issued()))));
      }
      for (Future<JsonObject> f : logins) {
        JsonObject r = Await.result(f);
        assertThat(r.getJsonObject("error").getString("code")).isEqualTo(ErrorCode.AUTH_INVALID.name());
      }
      clients.forEach(TestClient::close);
      assertThat(jwks.requests()).as("fetches within jwt.jwksMinRefreshSeconds of the last").isEqualTo(1);
      assertThat(loggedIn(node, known.player(uid, issued()))).isEqualTo(uid);
    }
  }
}
