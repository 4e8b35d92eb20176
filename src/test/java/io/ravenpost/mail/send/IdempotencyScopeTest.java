package io.ravenpost.mail.send;

import static io.ravenpost.mail.MailTesting.http;
import static io.ravenpost.mail.MailTesting.mail;
import static io.ravenpost.mail.MailTesting.users;
import static org.assertj.core.api.Assertions.assertThat;

import io.ravenpost.mail.MailTesting.Reply;
import io.ravenpost.testkit.TestCluster;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Idempotency keys belong to the producer that used them (its token's subject): two services that
 * pick the same key ({@code daily-<date>}) never collide, and no service can take a key another
 * will use. A producer's own retry still replays its first result.
 */
class IdempotencyScopeTest {
  static TestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = TestCluster.start(1);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static String service(String sub) {
    return TestTokens.operator(new JsonObject().put("sub", sub).put("role", "service"));
  }

  private static Reply send(String token, String key, JsonObject body) {
    return http(cluster.node(0), "POST", "/internal/mail", token, body, Map.of("Idempotency-Key", key));
  }

  @Test
  void twoProducersWithTheSameKeyDoNotCollide() {
    long uid = TestEnv.randomUid();
    String key = "daily-" + Long.toHexString(TestEnv.randomUid());
    Reply rewards = send(service("101"), key, mail(users(uid), "from the rewards service"));
    Reply events = send(service("102"), key, mail(users(uid), "from the events service"));

    assertThat(rewards.status()).as(rewards.body().encode()).isEqualTo(201);
    assertThat(events.status()).as("another producer's key with another body: " + events.body().encode())
        .isEqualTo(201);
    assertThat(events.body().getJsonArray("mailIds")).isNotEqualTo(rewards.body().getJsonArray("mailIds"));

    Reply retry = send(service("101"), key, mail(users(uid), "from the rewards service"));
    assertThat(retry.status()).isEqualTo(201);
    assertThat(retry.body()).as("the producer's own retry replays its first result").isEqualTo(rewards.body());
    Reply reuse = send(service("101"), key, mail(users(uid), "something else"));
    assertThat(reuse.status()).isEqualTo(422);
    assertThat(reuse.code()).isEqualTo("IDEMPOTENCY_MISMATCH");
  }
}
