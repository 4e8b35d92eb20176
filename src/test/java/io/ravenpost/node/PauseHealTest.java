package io.ravenpost.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.NodeProcess;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node frozen (SIGSTOP, as a long GC pause or a stalled VM does) past the cluster's heartbeat
 * timeout is removed; when it resumes, the two halves must be one cluster again within 15 s, with
 * the event bus working both ways, and the frozen node must not answer for a player who logged in
 * elsewhere meanwhile.
 */
class PauseHealTest {
  private static final long LEASE_MS = 3000;
  private static final long FREEZE_MS = 10_000;
  private static final long HEAL_LIMIT_MS = 15_000;
  private final List<NodeProcess> nodes = new ArrayList<>();
  private final List<int[]> ports = new ArrayList<>();

  @AfterEach
  void stop() {
    nodes.forEach(NodeProcess::close);
  }

  private void startNodes(int n) {
    String cluster = "ph-" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    String prefix = TestEnv.randomPrefix();
    List<String> members = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int[] p = {NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort(), NodeProcess.freePort()};
      ports.add(p);
      members.add("127.0.0.1:" + p[3]);
    }
    for (int i = 0; i < n; i++) {
      Map<String, String> env = NodeProcess.baseEnv(cluster, prefix);
      env.putAll(Map.of("RAVEN_NODE_ID", "ph" + i, "RAVEN_GATE_WS_PORT", "" + ports.get(i)[0],
          "RAVEN_GATE_TCP_PORT", "" + ports.get(i)[1], "RAVEN_ADMIN_PORT", "" + ports.get(i)[2],
          "RAVEN_CLUSTER_PORT", "" + ports.get(i)[3], "RAVEN_CLUSTER_MEMBERS", String.join(",", members),
          "RAVEN_CLUSTER_MAX_NO_HEARTBEAT_SECONDS", "4", "RAVEN_ONLINE_LEASE_MS", "" + LEASE_MS,
          "RAVEN_ONLINE_RENEW_MS", "1000"));
      nodes.add(NodeProcess.start("ph" + i, List.of(), env));
    }
    nodes.forEach(p -> p.awaitReady(60_000));
    Poll.until("the cluster formed", 30_000, () -> whole(n));
  }

  private int ws(int i) {
    return ports.get(i)[0];
  }

  private int admin(int i) {
    return ports.get(i)[2];
  }

  /** Every node lists every member, and reaches each over the event bus. */
  private boolean whole(int n) {
    for (int i = 0; i < n; i++) {
      try {
        JsonArray members = TestHttp.get(admin(i), "/admin/stats", TestTokens.admin()).json().getJsonArray("members");
        if (members == null || members.size() != n
            || !members.stream().allMatch(m -> ((JsonObject) m).getBoolean("reachable"))) {
          return false;
        }
      } catch (RuntimeException e) {
        return false;
      }
    }
    return true;
  }

  @Test
  void aFrozenNodeRejoinsWithin15sAndNeverAnswersForAPlayerWhoMovedOn() {
    startNodes(2);
    long uid = TestEnv.randomUid();
    TestClient old = TestClient.ws(ws(1));
    old.loginSync(TestTokens.player(uid));

    nodes.get(1).signal("STOP");
    long stoppedAt = System.currentTimeMillis();
    // Read by the frozen node only when it resumes, after the player has logged in elsewhere.
    Future<JsonObject> lateHeartbeat = old.request("heartbeat", new JsonObject());
    TestClient fresh = TestClient.ws(ws(0));
    JsonObject login = fresh.loginSync(TestTokens.player(uid));
    long movedAfter = System.currentTimeMillis() - stoppedAt;
    Poll.until("the freeze outlasts the heartbeat timeout", FREEZE_MS + 1000,
        () -> System.currentTimeMillis() - stoppedAt >= FREEZE_MS);
    nodes.get(1).signal("CONT");
    long resumedAt = System.currentTimeMillis();

    assertThat(movedAfter).as("login elsewhere within the lease + 1 s").isLessThanOrEqualTo(LEASE_MS + 1000);
    JsonObject late = Await.result(lateHeartbeat.otherwise(t -> new JsonObject().put("refused", t.getMessage())), 10_000);
    assertThat(late.containsKey("refused"))
        .as("the frozen node answered for a player who had logged in elsewhere: " + late).isTrue();
    Poll.until("the old session is closed", 10_000, old::isClosed);

    Poll.until("one cluster again within 15 s of the resume", HEAL_LIMIT_MS, () -> whole(2));
    long healedMs = System.currentTimeMillis() - resumedAt;
    System.out.printf("pause-heal: login elsewhere after %d ms, healed %d ms after the resume%n", movedAfter, healedMs);

    // Both directions over the event bus: a kick from node 0 to node 1 and back.
    long other = TestEnv.randomUid();
    TestClient onResumed = TestClient.ws(ws(1));
    onResumed.loginSync(TestTokens.player(other));
    TestClient onSurvivor = TestClient.ws(ws(0));
    onSurvivor.loginSync(TestTokens.player(other));
    assertThat(onResumed.nextPush("session.kicked", 5000).getJsonObject("body").getString("reason"))
        .isEqualTo("LOGIN_ELSEWHERE");
    TestClient back = TestClient.ws(ws(1));
    back.loginSync(TestTokens.player(other));
    assertThat(onSurvivor.nextPush("session.kicked", 5000).getJsonObject("body").getString("reason"))
        .isEqualTo("LOGIN_ELSEWHERE");
    assertThat(login.getString("sessionId")).isNotBlank();
  }
}
