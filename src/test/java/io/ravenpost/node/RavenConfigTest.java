package io.ravenpost.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ravenpost.common.config.LogConfig;
import io.ravenpost.common.config.RedisConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisClientType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RavenConfigTest {
  private static final String OWN = "a-secret-of-our-own-that-is-long-enough-0123";
  private static final String OWN_ADMIN = "an-operator-secret-of-our-own-long-enough-4567";

  @Test
  void envOverridesTheFileAndOffsetsPorts() {
    RavenConfig c = RavenConfig.load(Map.of("RAVEN_JWT_SECRET", OWN, "RAVEN_ADMIN_JWT_SECRET", OWN_ADMIN, "RAVEN_GATE_WS_PORT", "9100", "RAVEN_ADMIN_HOST", "0.0.0.0",
        "RAVEN_NODE_ROLES", "gate, online", "RAVEN_NODE_PORT_OFFSET", "20",
        "RAVEN_MYSQL_URI", "mysql://u:p@db:3306/x"), null);
    assertThat(c.gate().wsPort()).isEqualTo(9120);
    assertThat(c.gate().tcpPort()).isEqualTo(7121);
    assertThat(c.admin().port()).isEqualTo(7200);
    assertThat(c.admin().host()).isEqualTo("0.0.0.0");
    assertThat(c.node().names()).containsExactlyInAnyOrder("gate", "online");
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

  @Test
  void theJwksSettingsComeFromTheEnvironmentAndAreChecked() {
    RavenConfig c = RavenConfig.load(Map.of("RAVEN_JWT_SECRET", "", "RAVEN_ADMIN_JWT_SECRET", OWN_ADMIN,
        "RAVEN_JWT_JWKS_URL", "https://accounts.example.test/.well-known/jwks.json", "RAVEN_JWT_ISSUER",
        "https://accounts.example.test", "RAVEN_JWT_AUDIENCE", "ravenpost"), null);
    assertThat(c.jwt().hasJwks()).isTrue();
    assertThat(c.jwt().hasSecret()).as("JWKS tokens only").isFalse();
    assertThat(c.jwt().issuer()).isEqualTo("https://accounts.example.test");
    assertThat(c.jwt().audience()).isEqualTo("ravenpost");
    assertThat(c.jwt().jwksMinRefreshSeconds()).isEqualTo(30);

    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_JWT_SECRET", ""), null))
        .as("no player token key at all").hasMessageContaining("jwt.secret");
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_JWT_SECRET", OWN, "RAVEN_JWT_JWKS_URL",
        "file:///etc/keys.json"), null)).hasMessageContaining("jwt.jwksUrl");
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_JWT_SECRET", OWN, "RAVEN_JWT_JWKS_URL",
        "http://accounts.example.test/jwks.json"), null)).as("keys over plain HTTP off this machine")
        .hasMessageContaining("jwt.jwksUrl");
    // Plain HTTP on loopback is taken: the JWKS login tests serve theirs from 127.0.0.1.
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_JWT_SECRET", OWN, "RAVEN_JWT_JWKS_MIN_REFRESH_SECONDS",
        "600", "RAVEN_JWT_JWKS_REFRESH_SECONDS", "60"), null)).hasMessageContaining("jwt.jwksRefreshSeconds");
    assertThatThrownBy(() -> RavenConfig.load(Map.of(), new JsonObject().put("jwt", new JsonObject()
        .put("jwksUri", "https://accounts.example.test/jwks")))).hasMessageContaining("jwt.jwksUri");
  }

  @Test
  void redisModeIsStandaloneByDefaultAndClusterNeedsSeedNodes() {
    Map<String, String> secrets = Map.of("RAVEN_JWT_SECRET", OWN, "RAVEN_ADMIN_JWT_SECRET", OWN_ADMIN);
    RedisConfig standalone = RavenConfig.load(secrets, null).redis();
    assertThat(standalone.clustered()).isFalse();
    assertThat(standalone.options(4).getEndpoints()).containsExactly(standalone.uri());

    Map<String, String> env = new HashMap<>(secrets);
    env.put("RAVEN_REDIS_MODE", "cluster");
    env.put("RAVEN_REDIS_CLUSTER_NODES", "redis://10.0.0.5:7000, redis://10.0.0.6:7000");
    RedisConfig cluster = RavenConfig.load(env, null).redis();
    assertThat(cluster.clustered()).isTrue();
    assertThat(cluster.clusterNodes()).containsExactly("redis://10.0.0.5:7000", "redis://10.0.0.6:7000");
    assertThat(cluster.options(4).getType()).isEqualTo(RedisClientType.CLUSTER);
    assertThat(cluster.options(4).getEndpoints()).containsExactly("redis://10.0.0.5:7000", "redis://10.0.0.6:7000");

    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_REDIS_MODE", "sentinel"), null))
        .hasMessageContaining("redis.mode");
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_REDIS_MODE", "cluster"), null))
        .hasMessageContaining("redis.clusterNodes");
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_REDIS_MODE", "cluster",
        "RAVEN_REDIS_CLUSTER_NODES", "10.0.0.5:7000"), null)).hasMessageContaining("redis.clusterNodes");
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_REDIS_MODE", "cluster",
        "RAVEN_REDIS_CLUSTER_NODES", "redis://10.0.0.5:7000", "RAVEN_REDIS_PREFIX", "{raven}:"), null))
        .hasMessageContaining("redis.prefix");
  }

  @Test
  void aCustomFileIsLayeredOverTheDefaults(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("mine.json");
    Files.writeString(f, "{\"gate\": {\"wsPort\": 8100}, \"mail\": {\"capacity\": 50}}");
    RavenConfig c = RavenConfig.load(Map.of("RAVEN_CONFIG", f.toString(), "RAVEN_JWT_SECRET", OWN, "RAVEN_ADMIN_JWT_SECRET", OWN_ADMIN), null);
    assertThat(c.gate().wsPort()).isEqualTo(8100);
    assertThat(c.mail().capacity()).isEqualTo(50);
    assertThat(c.gate().tcpPort()).as("a key the file leaves out keeps its default").isEqualTo(7101);
    assertThat(c.scheduler().mailRelayMs()).isEqualTo(5000);
  }

  @Test
  void anUnknownKeyIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("typo.json");
    Files.writeString(f, "{\"gate\": {\"wsport\": 8100}}");
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_CONFIG", f.toString()), null))
        .hasMessageContaining("gate.wsport").hasMessageContaining("not a known key");
    assertThatThrownBy(() -> RavenConfig.load(Map.of(), new JsonObject().put("mailz", new JsonObject())))
        .hasMessageContaining("mailz");
  }

  @Test
  void aConfigPathThatDoesNotExistIsAnError() {
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_CONFIG", "/nonexistent/ravenpost.json"), null))
        .hasMessageContaining("/nonexistent/ravenpost.json");
  }

  @Test
  void clusterAddressesComeFromConfigAndDefaultToLoopback() {
    RavenConfig local = RavenConfig.load(Map.of("RAVEN_JWT_SECRET", OWN, "RAVEN_ADMIN_JWT_SECRET", OWN_ADMIN), null);
    assertThat(local.cluster().host()).isEqualTo("127.0.0.1");
    assertThat(local.cluster().publicHost()).isEqualTo("127.0.0.1");
    RavenConfig remote = RavenConfig.load(Map.of("RAVEN_JWT_SECRET", OWN, "RAVEN_ADMIN_JWT_SECRET", OWN_ADMIN, "RAVEN_CLUSTER_HOST", "10.0.0.5",
        "RAVEN_CLUSTER_MEMBERS", "10.0.0.5,10.0.0.6:5702", "RAVEN_GATE_HOST", "10.0.0.5"), null);
    assertThat(remote.cluster().host()).isEqualTo("10.0.0.5");
    assertThat(remote.cluster().publicHost()).as("the public host defaults to the bind host").isEqualTo("10.0.0.5");
    assertThat(remote.cluster().members()).containsExactly("10.0.0.5", "10.0.0.6:5702");
    assertThat(remote.gate().host()).isEqualTo("10.0.0.5");
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_JWT_SECRET", OWN, "RAVEN_ADMIN_JWT_SECRET", OWN_ADMIN, "RAVEN_CLUSTER_HOST", "0.0.0.0"), null))
        .hasMessageContaining("cluster.publicHost");
  }

  @Test
  void theShippedSecretIsRefusedUnlessEveryListenerIsOnLoopback() {
    assertThatThrownBy(() -> RavenConfig.load(Map.of(), null))
        .as("the shipped config binds the gate on 0.0.0.0")
        .hasMessageContaining("RAVEN_JWT_SECRET").hasMessageContaining("gate.host");
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_GATE_HOST", "127.0.0.1", "RAVEN_ADMIN_HOST", "10.1.2.3"), null))
        .hasMessageContaining("admin.host");
    RavenConfig loopback = RavenConfig.load(Map.of("RAVEN_GATE_HOST", "127.0.0.1"), null);
    assertThat(loopback.gate().host()).isEqualTo("127.0.0.1");
    assertThat(RavenConfig.load(Map.of("RAVEN_JWT_SECRET", OWN, "RAVEN_ADMIN_JWT_SECRET", OWN_ADMIN), null).gate().host()).isEqualTo("0.0.0.0");
  }

  @Test
  void theShippedOperatorSecretIsRefusedOffLoopbackToo() {
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_JWT_SECRET", OWN), null))
        .hasMessageContaining("RAVEN_ADMIN_JWT_SECRET").hasMessageContaining("gate.host");
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_JWT_SECRET", OWN, "RAVEN_ADMIN_JWT_SECRET", OWN), null))
        .as("one secret for players and operators would let a player-token issuer mint admin tokens")
        .hasMessageContaining("must differ from jwt.secret");
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_ADMIN_JWT_SECRET", "short"), null))
        .hasMessageContaining("admin.jwtSecret");
    RavenConfig own = RavenConfig.load(Map.of("RAVEN_JWT_SECRET", OWN, "RAVEN_ADMIN_JWT_SECRET", OWN_ADMIN), null);
    assertThat(own.admin().jwtSecret()).isEqualTo(OWN_ADMIN);
  }

  @Test
  void logFormatIsTextOrJson() {
    RavenConfig json = RavenConfig.load(Map.of("RAVEN_GATE_HOST", "127.0.0.1", "RAVEN_LOG_FORMAT", "json"), null);
    assertThat(json.log().format()).isEqualTo(LogConfig.Format.JSON);
    assertThatThrownBy(() -> RavenConfig.load(Map.of("RAVEN_GATE_HOST", "127.0.0.1", "RAVEN_LOG_FORMAT", "xml"), null))
        .hasMessageContaining("log.format");
  }
}
