package io.ravenpost.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ravenpost.node.RavenConfig;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code schedule} section and the job's interval: defaults, env overrides, bad and unknown keys refused by name. */
class ScheduleConfigTest {
  /** The shipped secrets are refused while the gate listens beyond loopback, as it does by default. */
  private static final Map<String, String> LOOPBACK = Map.of("RAVEN_GATE_HOST", "127.0.0.1");

  @Test
  void defaultsAndEnvOverrides() {
    RavenConfig shipped = RavenConfig.load(LOOPBACK, null);
    assertThat(shipped.schedule()).isEqualTo(new ScheduleConfig(60_000, 10_000, 5, 100));
    assertThat(shipped.scheduler().schedulesMs()).isEqualTo(1000);
    RavenConfig c = RavenConfig.load(Map.of("RAVEN_GATE_HOST", "127.0.0.1", "RAVEN_SCHEDULE_LEASE_MS", "90000",
        "RAVEN_SCHEDULE_MAX_ATTEMPTS", "8", "RAVEN_SCHEDULER_SCHEDULES_MS", "5000"), null);
    assertThat(c.schedule().leaseMs()).isEqualTo(90_000);
    assertThat(c.schedule().maxAttempts()).isEqualTo(8);
    assertThat(c.scheduler().schedulesMs()).isEqualTo(5000);
  }

  @Test
  void badAndUnknownKeysAreRefusedByName() {
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_SCHEDULE_MAX_ATTEMPTS", "0"), null))
        .hasMessageContaining("schedule.maxAttempts");
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_SCHEDULE_LEASE_MS", "soon"), null))
        .hasMessageContaining("schedule.leaseMs");
    assertThatThrownBy(() -> RavenConfig.load(Map.of(),
        new JsonObject().put("schedule", new JsonObject().put("leaseMillis", 1000))))
        .hasMessageContaining("schedule.leaseMillis");
  }
}
