package io.ravenpost.mail.global;

import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.global.GlobalTesting.globalMail;
import static io.ravenpost.mail.global.GlobalTesting.target;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.RegistrationInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An {@code online} send is told by every gate node to its own players at once (one message per
 * node), each player's copy written after; it answers as soon as the mail is stored, even while a
 * gate node cannot be reached, so a producer's timeout never becomes a retry that sends twice.
 */
class OnlineSendTest {
  private static final int PLAYERS_PER_NODE = 40;

  private static JsonObject listed(RavenNode node, long id) {
    Reply r = http(node, "GET", "/admin/global-mail?limit=100", TestTokens.admin(), null, Map.of());
    assertThat(r.status()).isEqualTo(200);
    return r.body().getJsonArray("mails").stream().map(o -> (JsonObject) o)
        .filter(m -> m.getLong("globalMailId") == id).findFirst().orElseThrow();
  }

  private static List<TestClient> players(RavenNode node, List<Long> uids) {
    List<Future<TestClient>> logins = new ArrayList<>();
    for (int i = 0; i < PLAYERS_PER_NODE; i++) {
      long uid = TestEnv.randomUid();
      uids.add(uid);
      logins.add(GlobalTesting.loginAsync(node, TestTokens.player(uid)));
    }
    return Await.result(Future.all(logins), 60_000).list();
  }

  private static List<RegistrationInfo> registrations(RavenNode n) {
    Promise<List<RegistrationInfo>> p = Promise.promise();
    n.clusterManager().getRegistrations(MailAddresses.ADMIN_SEND.address(), p);
    return Await.result(p.future());
  }

  @Test
  void everyNodeTellsItsOwnPlayersOnceAndTheSendAnswersWhileANodeIsUnreachable() {
    try (Scratch db = new Scratch();
         TestCluster cluster = TestCluster.start(3, db.overrides(new JsonObject()))) {
      List<Long> uids = new ArrayList<>();
      List<TestClient> clients = new ArrayList<>(players(cluster.node(0), uids));
      clients.addAll(players(cluster.node(1), uids));
      // A gate node that died without a goodbye: its lease still lists it, the broadcast to it hangs.
      String dead = cluster.node(2).clusterManager().getNodeId();
      cluster.crash(2);
      // Its mail role's bus handlers must be gone from the others' view first (else the POST can be
      // routed to it and wait out the bus timeout, which is not what this test is about); its lease
      // and its gate's entries in the registry stay, so the walk still meets an unreachable node.
      Poll.until("the dead node's handlers forgotten", 20_000, () -> cluster.nodes().stream()
          .allMatch(n -> registrations(n).stream().noneMatch(r -> r.nodeId().equals(dead))));
      RavenNode sender = cluster.node(0);
      JsonObject body = globalMail(target("online"), "online to two nodes");
      Map<String, String> key = Map.of("Idempotency-Key", "online-" + Long.toHexString(TestEnv.randomUid()));

      long t0 = System.currentTimeMillis();
      Reply first = http(sender, "POST", "/admin/mail", TestTokens.admin(), body, key);
      long answeredMs = System.currentTimeMillis() - t0;
      assertThat(first.status()).as(first.body().encode()).isEqualTo(201);
      assertThat(answeredMs).as("answered once stored, not after the unreachable node's timeout").isLessThan(10_000);
      long id = first.body().getLong("globalMailId");
      Reply retry = http(sender, "POST", "/admin/mail", TestTokens.admin(), body, key);
      assertThat(retry.body().getLong("globalMailId")).isEqualTo(id);

      for (TestClient c : clients) {
        JsonObject push = c.nextPush("mail.new", 10_000);
        assertThat(push).as("every player online at send time is told").isNotNull();
        long mailId = push.getJsonObject("body").getJsonObject("mail").getLong("mailId");
        assertThat(c.callSync("mail.open", new JsonObject().put("mailId", mailId)).getJsonObject("mail")
            .getString("title")).as("the told id opens at once").isEqualTo("online to two nodes");
      }
      Poll.until("every copy written", 30_000,
          () -> db.count("SELECT COUNT(*) FROM mailbox WHERE global_id = ?", id) == uids.size());
      assertThat(db.count("SELECT COUNT(*) FROM (SELECT uid FROM mailbox WHERE global_id = ? GROUP BY uid "
          + "HAVING COUNT(*) > 1) twice", id)).as("players with two copies").isZero();
      for (TestClient c : clients) {
        assertThat(c.nextPush("mail.new", 200)).as("told once").isNull();
      }
      // The node that could not be reached lost its lease meanwhile: the resume job finishes the send.
      Poll.until("the send finished", 30_000, () -> {
        GlobalTesting.runJob(sender, "global-resume");
        return listed(sender, id).getValue("sentAt") != null;
      });
      assertThat(listed(sender, id).getLong("delivered")).isEqualTo(uids.size());
      clients.forEach(TestClient::close);
    }
  }
}
