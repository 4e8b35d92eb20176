package io.ravenpost.mail;

import static io.ravenpost.mail.MailTesting.adminSend;
import static io.ravenpost.mail.MailTesting.eventually;
import static io.ravenpost.mail.MailTesting.gold;
import static io.ravenpost.mail.MailTesting.id;
import static io.ravenpost.mail.MailTesting.mail;
import static io.ravenpost.mail.MailTesting.op;
import static io.ravenpost.mail.MailTesting.sendOne;
import static io.ravenpost.mail.MailTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.common.Errors;
import io.ravenpost.mail.MailTesting.GrantSink;
import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Claiming exactly once under races: many requests from a client and from the event bus on two nodes. */
class MailClaimTest {
  static TestCluster cluster;
  static GrantSink grants;

  @BeforeAll
  static void start() {
    // One connection races 67 claims at once: neither the rate nor the in-flight bound may refuse them.
    cluster = TestCluster.start(2, new JsonObject().put("gate", new JsonObject().put("opsBurst", 1000)
        .put("maxInFlightPerSession", 1000)));
    grants = new GrantSink(cluster.node(1));
  }

  @AfterAll
  static void stop() {
    grants.close();
    cluster.close();
  }

  @Test
  void twoHundredConcurrentClaimsGrantOnce() {
    long uid = TestEnv.randomUid();
    long mailId = sendOne(cluster.node(0), uid, "one reward", gold(500));
    TestClient c = TestClient.ws(cluster.node(1).wsPort());
    c.loginSync(TestTokens.player(uid));

    List<Future<JsonObject>> all = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      all.add(switch (i % 3) {
        case 0 -> c.call("mail.claim", id(mailId));
        case 1 -> op(cluster.node(0), uid, "mail.claim", id(mailId));
        default -> op(cluster.node(1), uid, "mail.claim", id(mailId));
      });
    }
    Await.result(Future.join(all).recover(t -> Future.succeededFuture()), 30_000);
    Map<String, Long> outcomes = all.stream().collect(Collectors.groupingBy(
        f -> f.succeeded() ? "ok" : Errors.codeOf(f.cause()).name(), Collectors.counting()));
    assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of("ok", 1L, "ALREADY_CLAIMED", 199L));
    JsonObject won = all.stream().filter(Future::succeeded).findFirst().orElseThrow().result();
    assertThat(won.getJsonArray("attachments")).isEqualTo(new JsonArray().add(gold(500)));

    eventually("the grant is published", 5000, () -> grants.forUid(uid).size() == 1);
    runRelaySweep();
    assertThat(grants.byGrantId.get(uid + "-" + mailId)).isEqualTo(1);
    assertThat(grants.forUid(uid)).hasSize(1);
  }

  @Test
  void claimAllRacingClaimGrantsEveryMailOnce() {
    long uid = TestEnv.randomUid();
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(adminSend(cluster.node(i % 2), mail(users(uid), "reward " + i)
          .put("attachments", new JsonArray().add(gold(10)).add(new JsonObject().put("type", "item")
              .put("id", 7).put("amount", 1)))).get(0));
    }
    long textOnly = sendOne(cluster.node(0), uid, "just words");

    List<Future<JsonObject>> claimAlls = new ArrayList<>();
    List<Future<JsonObject>> claims = new ArrayList<>();
    // Interleaved from both nodes: claimAll takes its rows first in some rounds, single claims in others.
    for (int round = 0; round < 10; round++) {
      for (int i = 0; i < ids.size(); i++) {
        if (i == round % ids.size()) {
          claimAlls.add(op(cluster.node(round % 2), uid, "mail.claimAll", new JsonObject()));
        }
        claims.add(op(cluster.node((round + i) % 2), uid, "mail.claim", id(ids.get((i + round) % ids.size()))));
      }
    }
    List<Future<JsonObject>> every = new ArrayList<>(claimAlls);
    every.addAll(claims);
    Await.result(Future.join(every).recover(t -> Future.succeededFuture()), 30_000);

    List<Long> claimed = new ArrayList<>();
    long gold = 0;
    for (Future<JsonObject> f : claimAlls) {
      assertThat(f.succeeded()).as("claimAll never fails: %s", f.cause()).isTrue();
      f.result().getJsonArray("claimed").forEach(o -> claimed.add(((Number) o).longValue()));
      gold += goldIn(f.result().getJsonArray("attachments"));
    }
    for (int i = 0; i < claims.size(); i++) {
      Future<JsonObject> f = claims.get(i);
      if (f.succeeded()) {
        claimed.add(ids.get((i % ids.size() + i / ids.size()) % ids.size()));
        gold += goldIn(f.result().getJsonArray("attachments"));
      } else {
        assertThat(Errors.codeOf(f.cause())).isEqualTo(ErrorCode.ALREADY_CLAIMED);
      }
    }
    Collections.sort(claimed);
    assertThat(claimed).as("each mail claimed exactly once").isEqualTo(ids);
    assertThat(claimed).doesNotContain(textOnly);
    assertThat(gold).isEqualTo(50);

    eventually("five grants published", 5000, () -> grants.forUid(uid).size() == 5);
    runRelaySweep();
    Map<Long, Long> perMail = new HashMap<>();
    grants.forUid(uid).forEach(g -> perMail.merge(g.getLong("mailId"), 1L, Long::sum));
    assertThat(perMail).hasSize(5).allSatisfy((mail, n) -> assertThat(n).isEqualTo(1));
    assertThat(MailTesting.opSync(cluster.node(0), uid, "mail.claimAll", new JsonObject()))
        .isEqualTo(new JsonObject().put("claimed", new JsonArray()).put("attachments", new JsonArray())
            .put("claimedCount", 0).put("truncated", false));
  }

  private static long goldIn(JsonArray attachments) {
    long n = 0;
    for (Object o : attachments) {
      JsonObject a = (JsonObject) o;
      if ("gold".equals(a.getValue("id"))) {
        n += a.getLong("amount");
      }
    }
    return n;
  }

  /** Forces a relay round now: a grant already acknowledged must not be published again. */
  private static void runRelaySweep() {
    MailTesting.runJob(cluster.node(0), "mail-outbox-relay");
  }
}
