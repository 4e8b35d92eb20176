package io.ravenpost.gate;

import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.Frames;
import io.ravenpost.api.KickReason;
import io.ravenpost.api.gate.GateAddresses;
import io.ravenpost.api.gate.Kick;
import io.ravenpost.common.Bus;
import io.ravenpost.node.RavenNode;
import io.ravenpost.online.ClaimResult;
import io.ravenpost.online.Entry;
import io.ravenpost.online.OnlineState;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import org.junit.jupiter.api.Test;

/**
 * A kick can reach a node after its session's claim was written to the registry and before the
 * login took that claim in (the session still CLAIMING, its epoch not known yet). The session owns
 * the entry all the same: the kick closes it, rather than deleting the entry and leaving the
 * connection open for a login elsewhere to claim the empty slot beside it.
 */
class KickWhileClaimingTest {
  @Test
  void aKickOfAnEntryWhoseLoginIsStillClaimingClosesTheSession() throws Exception {
    try (TestCluster cluster = TestCluster.start(1)) {
      RavenNode node = cluster.node(0);
      OnlineState registry = node.online();
      SessionTable table = sessionsOf(node);
      long uid = TestEnv.randomUid();
      TestClient c = TestClient.ws(node.wsPort());
      Session s = Poll.until("the connection is a session", 5000,
          () -> table.all().stream().filter(x -> x.state == Session.State.CONNECTED).findFirst().orElse(null));

      // Where a login stands once its claim is written and before its answer is taken in.
      s.uid = uid;
      s.state = Session.State.CLAIMING;
      ClaimResult claim = Await.result(registry.tryClaim(uid, node.nodeId(), s.id));
      assertThat(claim.claimed()).isTrue();
      long epoch = claim.mine().epoch();
      assertThat(s.epoch).as("the claim is not taken in yet").isLessThan(epoch);

      // The kick a login elsewhere sends to the owner it found in the registry.
      Await.result(Bus.request(node.context().vertx(), GateAddresses.kick(node.nodeId()),
          new Kick(uid, s.id, KickReason.LOGIN_ELSEWHERE, epoch), new DeliveryOptions().setSendTimeout(5000)));

      JsonObject kicked = c.nextPush(Frames.SESSION_KICKED, 5000);
      assertThat(kicked).as("the client is told it was kicked").isNotNull();
      assertThat(kicked.getJsonObject("body").getString("reason")).isEqualTo("LOGIN_ELSEWHERE");
      assertThat(c.awaitClosed(5000)).as("the kicked connection is closed").isTrue();
      assertThat(table.get(s.id)).isNull();
      Entry left = Await.result(registry.lookup(uid));
      assertThat(left == null || !left.sessionId().equals(s.id))
          .as("no entry of the closed session is left behind").isTrue();
    }
  }

  private static SessionTable sessionsOf(RavenNode node) throws ReflectiveOperationException {
    Field gate = RavenNode.class.getDeclaredField("gate");
    gate.setAccessible(true);
    Field sessions = GateVerticle.class.getDeclaredField("sessions");
    sessions.setAccessible(true);
    return (SessionTable) sessions.get(gate.get(node));
  }
}
