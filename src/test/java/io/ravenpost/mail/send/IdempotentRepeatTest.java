package io.ravenpost.mail.send;

import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.MailTesting.mail;
import static io.ravenpost.mail.MailTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.mail.global.GlobalTesting;
import io.ravenpost.node.RavenNode;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A producer that repeats a send the moment it was answered (what a client does after its own
 * timeout) gets the first result, never "in flight, retry": the lease that marks a send running is
 * gone before its answer leaves, and a repeat that still meets it is answered from what is stored.
 */
class IdempotentRepeatTest {
  static final ExecutorService POOL = Executors.newFixedThreadPool(16);
  static GlobalTesting.Scratch scratch;
  static TestCluster cluster;
  static RavenNode node;

  /** A database of its own: global mail sent here must not reach the players of other tests. */
  @BeforeAll
  static void start() {
    scratch = new GlobalTesting.Scratch();
    cluster = TestCluster.start(1, scratch.overrides(new JsonObject()));
    node = cluster.node(0);
  }

  @AfterAll
  static void stop() {
    cluster.close();
    scratch.close();
  }

  @Test
  void twoHundredImmediateRepeatsOfAPersonalSendAnswerTheFirstResult() {
    long uid = TestEnv.randomUid();
    repeatAtOnce(mail(users(uid, uid + 1), "repeat"));
  }

  @Test
  void twoHundredImmediateRepeatsOfAGlobalSendAnswerTheFirstResult() {
    repeatAtOnce(mail(new JsonObject().put("type", "all"), "repeat global"));
  }

  private static void repeatAtOnce(JsonObject body) {
    String key = "repeat-" + UUID.randomUUID();
    Reply first = http(node, "POST", "/internal/mail", TestTokens.service(), body, Map.of("Idempotency-Key", key));
    assertThat(first.status()).isEqualTo(201);
    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      check(first, http(node, "POST", "/internal/mail", TestTokens.service(), body,
          Map.of("Idempotency-Key", key)), "sequential " + i, wrong);
    }
    // Repeats that arrive together once the first was answered: one of them holds the lease while
    // the others ask, and they too are answered from what is stored.
    List<CompletableFuture<Reply>> together = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      together.add(CompletableFuture.supplyAsync(() -> http(node, "POST", "/internal/mail", TestTokens.service(),
          body, Map.of("Idempotency-Key", key)), POOL));
    }
    for (int i = 0; i < together.size(); i++) {
      check(first, together.get(i).join(), "parallel " + i, wrong);
    }
    assertThat(wrong).as("repeats not answered with the first result").isEmpty();
  }

  private static void check(Reply first, Reply again, String which, List<String> wrong) {
    if (again.status() != 201 || !again.body().equals(first.body())) {
      wrong.add(which + ": " + again.status() + " " + again.body());
    }
  }
}
