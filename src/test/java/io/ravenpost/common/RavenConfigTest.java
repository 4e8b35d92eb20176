package io.ravenpost.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ravenpost.common.config.RavenConfig;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RavenConfigTest {
  @Test
  void envOverridesTheFileAndOffsetsPorts() {
    RavenConfig c = RavenConfig.load(Map.of("RAVEN_GATE_WS_PORT", "9100", "RAVEN_ADMIN_HOST", "0.0.0.0",
        "RAVEN_NODE_ROLES", "gate, online", "RAVEN_NODE_PORT_OFFSET", "20",
        "RAVEN_MYSQL_URI", "mysql://u:p@db:3306/x"), null);
    assertThat(c.gate().wsPort()).isEqualTo(9120);
    assertThat(c.gate().tcpPort()).isEqualTo(7121);
    assertThat(c.admin().port()).isEqualTo(7200);
    assertThat(c.admin().host()).isEqualTo("0.0.0.0");
    assertThat(c.node().roles()).containsExactlyInAnyOrder("gate", "online");
    assertThat(c.mysql().shardUris()).containsExactly("mysql://u:p@db:3306/x");
  }

  @Test
  void badValuesNameTheKey() {
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_GATE_WS_PORT", "lots"), null))
        .hasMessageContaining("gate.wsPort");
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_NODE_ROLES", "gate,mailman"), null))
        .hasMessageContaining("node.roles");
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_JWT_SECRET", "short"), null))
        .hasMessageContaining("jwt.secret");
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_GATE_LOGIN_POLICY", "oldest"), null))
        .hasMessageContaining("gate.loginPolicy");
    assertThatThrownBy(() -> RavenConfig.load(Map.of(),
        new JsonObject().put("online", new JsonObject().put("leaseMs", 2000).put("renewMs", 1500))))
        .hasMessageContaining("online.renewMs");
  }
}
