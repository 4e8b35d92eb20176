package io.ravenpost.grants;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ravenpost.common.config.ConfigMask;
import io.ravenpost.grants.GrantsConfig.Delivery;
import io.ravenpost.node.RavenConfig;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code grants} section: defaults, env overrides (nested keys too), and bad combinations refused by name. */
class GrantsConfigTest {
  private static final Map<String, String> LOOPBACK = Map.of("RAVEN_GATE_HOST", "127.0.0.1");

  @Test
  void eventBusByDefaultAndWebhookFromTheEnvironment() {
    RavenConfig shipped = RavenConfig.load(LOOPBACK, null);
    assertThat(shipped.grants()).isEqualTo(new GrantsConfig(Delivery.EVENTBUS, "", "", 5000, 100, 60_000,
        7 * 86_400_000L, 60_000));
    assertThat(shipped.mail().relayEnabled()).isTrue();

    RavenConfig c = RavenConfig.load(env("RAVEN_GRANTS_DELIVERY", "webhook",
        "RAVEN_GRANTS_WEBHOOK_URL", "https://game.example.com/grants",
        "RAVEN_GRANTS_WEBHOOK_SECRET", "a-secret-of-enough-length", "RAVEN_GRANTS_RETENTION_DAYS", "0.5"), null);
    assertThat(c.grants().delivery()).isEqualTo(Delivery.WEBHOOK);
    assertThat(c.grants().webhookUrl()).isEqualTo("https://game.example.com/grants");
    assertThat(c.grants().retentionMs()).isEqualTo(43_200_000L);
    assertThat(c.mail().relayEnabled()).as("the event-bus relay leaves the outbox to the webhook").isFalse();
    assertThat(ConfigMask.masked(c.raw()).getJsonObject("grants").getJsonObject("webhook").getString("secret"))
        .isEqualTo(ConfigMask.MASK);
  }

  @Test
  void badValuesAreRefusedByName() {
    assertThatThrownBy(() -> RavenConfig.load(env("RAVEN_GRANTS_DELIVERY", "carrier-pigeon"), null))
        .hasMessageContaining("grants.delivery");
    assertThatThrownBy(() -> RavenConfig.load(env("RAVEN_GRANTS_DELIVERY", "webhook"), null))
        .hasMessageContaining("grants.webhook.url");
    assertThatThrownBy(() -> RavenConfig.load(env("RAVEN_GRANTS_DELIVERY", "webhook",
        "RAVEN_GRANTS_WEBHOOK_URL", "http://127.0.0.1:9/", "RAVEN_GRANTS_WEBHOOK_SECRET", "short"), null))
        .hasMessageContaining("grants.webhook.secret");
    assertThatThrownBy(() -> RavenConfig.load(env("RAVEN_GRANTS_RETENTION_DAYS", "0"), null))
        .hasMessageContaining("grants.retentionDays");
    assertThatThrownBy(() -> RavenConfig.load(LOOPBACK,
        new JsonObject().put("grants", new JsonObject().put("webhook", new JsonObject().put("uri", "x")))))
        .hasMessageContaining("grants.webhook.uri");
  }

  private static Map<String, String> env(String... pairs) {
    Map<String, String> out = new HashMap<>(LOOPBACK);
    for (int i = 0; i < pairs.length; i += 2) {
      out.put(pairs[i], pairs[i + 1]);
    }
    return out;
  }
}
