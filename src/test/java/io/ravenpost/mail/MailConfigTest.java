package io.ravenpost.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ravenpost.mail.MailConfig;
import io.ravenpost.node.RavenConfig;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The mail section is validated at start-up and every key can be set from the environment. */
class MailConfigTest {
  private static MailConfig load(Map<String, String> env, JsonObject mail) {
    return RavenConfig.load(env, new JsonObject().put("mail", mail).put("gate", new JsonObject().put("host", "127.0.0.1"))).mail();
  }

  @Test
  void defaultsAreTheIssuesAndEnvOverridesThem() {
    MailConfig d = load(Map.of(), new JsonObject());
    assertThat(d.ttlSeconds()).isEqualTo(30L * 24 * 3600);
    assertThat(d.capacity()).isEqualTo(100);
    assertThat(d.expiryPolicy()).isEqualTo(MailConfig.ExpiryPolicy.DISCARD);
    assertThat(d.idempotencyKeepSeconds()).isGreaterThanOrEqualTo(24 * 3600);
    assertThat(d.relayEnabled()).isTrue();
    MailConfig e = load(Map.of("RAVEN_MAIL_CAPACITY", "7", "RAVEN_MAIL_EXPIRY_POLICY", "grant",
        "RAVEN_MAIL_RELAY_ENABLED", "false"), new JsonObject());
    assertThat(e.capacity()).isEqualTo(7);
    assertThat(e.expiryPolicy()).isEqualTo(MailConfig.ExpiryPolicy.GRANT);
    assertThat(e.relayEnabled()).isFalse();
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> load(Map.of(), new JsonObject().put("expiryPolicy", "keep")))
        .hasMessageContaining("mail.expiryPolicy");
    assertThatThrownBy(() -> load(Map.of(), new JsonObject().put("capacity", 0))).hasMessageContaining("mail.capacity");
    assertThatThrownBy(() -> load(Map.of(), new JsonObject().put("idempotencyKeepSeconds", 3600)))
        .hasMessageContaining("mail.idempotencyKeepSeconds");
    assertThatThrownBy(() -> load(Map.of(), new JsonObject().put("grantTimeoutMs", 20_000)))
        .hasMessageContaining("mail.grantTimeoutMs");
    assertThatThrownBy(() -> load(Map.of("RAVEN_MAIL_TTL_SECONDS", "soon"), new JsonObject()))
        .hasMessageContaining("mail.ttlSeconds");
  }
}
