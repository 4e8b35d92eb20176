package io.ravenpost.common;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node's whole configuration: {@code config/ravenpost.json} (or {@code RAVEN_CONFIG}),
 * then environment overrides, then programmatic overrides (tests). Every leaf {@code a.bC} can be
 * overridden by {@code RAVEN_A_B_C}; lists take comma-separated values. Typed views are built
 * once and validated, so a bad value stops the node with a message naming the key.
 */
public final class RavenConfig {
  private static final String BUNDLED = "ravenpost.json";

  private final JsonObject raw;
  private final NodeConfig node;
  private final ClusterConfig cluster;
  private final GateConfig gate;
  private final AdminConfig admin;
  private final MysqlConfig mysql;
  private final RedisConfig redis;
  private final String jwtSecret;
  private final OnlineConfig online;

  private RavenConfig(JsonObject raw) {
    this.raw = raw;
    int offset = Conf.intIn(raw, "node.portOffset", 0, 60000);
    this.node = NodeConfig.from(raw);
    this.cluster = ClusterConfig.from(raw);
    this.gate = GateConfig.from(raw, offset);
    this.admin = new AdminConfig(Conf.str(raw, "admin.host"), Conf.port(raw, "admin.port", offset));
    this.mysql = MysqlConfig.from(raw);
    this.redis = new RedisConfig(Conf.str(raw, "redis.uri"), Conf.str(raw, "redis.prefix"),
        Conf.intIn(raw, "redis.poolSize", 1, 1024));
    this.jwtSecret = Conf.str(raw, "jwt.secret");
    if (jwtSecret.length() < 32) {
      throw new IllegalArgumentException("config jwt.secret must be at least 32 characters");
    }
    this.online = OnlineConfig.from(raw);
  }

  /** Loads file, environment and overrides, in that order of increasing precedence. */
  public static RavenConfig load(Map<String, String> env, JsonObject overrides) {
    JsonObject raw = readBase(env);
    Conf.applyEnv(raw, "RAVEN", env);
    Conf.deepMerge(raw, overrides == null ? new JsonObject() : overrides);
    return new RavenConfig(raw);
  }

  public static RavenConfig load(JsonObject overrides) {
    return load(System.getenv(), overrides);
  }

  private static JsonObject readBase(Map<String, String> env) {
    String path = env.getOrDefault("RAVEN_CONFIG", "config/ravenpost.json");
    try {
      Path p = Path.of(path);
      if (Files.exists(p)) {
        return new JsonObject(Files.readString(p));
      }
      try (InputStream in = RavenConfig.class.getClassLoader().getResourceAsStream(BUNDLED)) {
        if (in == null) {
          throw new IllegalStateException("no config at " + path + " and no bundled default");
        }
        return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read config " + path + ": " + e.getMessage(), e);
    }
  }

  /** A feature's own section (e.g. "mail"), for features that keep their typed record locally. */
  public JsonObject section(String name) {
    JsonObject s = raw.getJsonObject(name);
    return s == null ? new JsonObject() : s.copy();
  }

  public JsonObject raw() {
    return raw.copy();
  }

  public NodeConfig node() {
    return node;
  }

  public ClusterConfig cluster() {
    return cluster;
  }

  public GateConfig gate() {
    return gate;
  }

  public AdminConfig admin() {
    return admin;
  }

  public MysqlConfig mysql() {
    return mysql;
  }

  public RedisConfig redis() {
    return redis;
  }

  public String jwtSecret() {
    return jwtSecret;
  }

  public OnlineConfig online() {
    return online;
  }

  /** @param drainMs how long a graceful stop waits for accepted requests to be answered */
  public record NodeConfig(String id, Set<String> roles, long drainMs) {
    static final Set<String> KNOWN = Set.of("gate", "online", "mail", "scheduler", "admin");

    static NodeConfig from(JsonObject raw) {
      List<String> roles = Conf.strings(raw, "node.roles");
      for (String r : roles) {
        if (!KNOWN.contains(r)) {
          throw new IllegalArgumentException("config node.roles: unknown role '" + r + "', known " + KNOWN);
        }
      }
      return new NodeConfig(Conf.str(raw, "node.id"), Set.copyOf(roles), Conf.longIn(raw, "node.drainMs", 0, 300_000));
    }

    public boolean has(String role) {
      return roles.contains(role);
    }
  }

  /**
   * @param host       the address Hazelcast and the event bus bind (an address of this machine)
   * @param publicHost the address peers use to reach this node (NAT, containers); the bind host when empty
   * @param busPort    the event bus's TCP port (0: any free port; fix it when a firewall sits between nodes)
   */
  public record ClusterConfig(boolean enabled, String name, String host, String publicHost, List<String> members,
                              int port, int busPort, int heartbeatSeconds, int maxNoHeartbeatSeconds,
                              int mergeDelaySeconds) {
    static ClusterConfig from(JsonObject raw) {
      String host = Conf.str(raw, "cluster.host").trim();
      String pub = Conf.str(raw, "cluster.publicHost").trim();
      if (host.isEmpty()) {
        throw new IllegalArgumentException("config cluster.host must name an address of this machine");
      }
      if (("0.0.0.0".equals(host) || "::".equals(host)) && pub.isEmpty()) {
        throw new IllegalArgumentException("config cluster.host " + host + " binds every interface: set "
            + "cluster.publicHost (RAVEN_CLUSTER_PUBLIC_HOST) to the address peers should use");
      }
      return new ClusterConfig(Conf.bool(raw, "cluster.enabled"), Conf.str(raw, "cluster.name"), host,
          pub.isEmpty() ? host : pub, Conf.strings(raw, "cluster.members"),
          Conf.intIn(raw, "cluster.port", 1, 65535), Conf.intIn(raw, "cluster.busPort", 0, 65535),
          Conf.intIn(raw, "cluster.heartbeatSeconds", 1, 60),
          Conf.intIn(raw, "cluster.maxNoHeartbeatSeconds", 2, 600),
          Conf.intIn(raw, "cluster.mergeDelaySeconds", 1, 600));
    }

    /** True when Hazelcast should bind every interface rather than the one named. */
    public boolean bindsAny() {
      return "0.0.0.0".equals(host) || "::".equals(host);
    }
  }

  public enum LoginPolicy { NEWEST_WINS, REJECT_NEW }

  public record GateConfig(String host, int wsPort, int tcpPort, int maxFrameBytes,
                           int idleTimeoutSeconds, long loginTimeoutMs, LoginPolicy loginPolicy,
                           int opsPerSecond, int opsBurst, int maxSessions, int maxQueuedBytes) {
    static GateConfig from(JsonObject raw, int offset) {
      String policy = Conf.str(raw, "gate.loginPolicy");
      LoginPolicy p = switch (policy) {
        case "newest-wins" -> LoginPolicy.NEWEST_WINS;
        case "reject-new" -> LoginPolicy.REJECT_NEW;
        default -> throw new IllegalArgumentException(
            "config gate.loginPolicy must be newest-wins or reject-new, not '" + policy + "'");
      };
      return new GateConfig(Conf.str(raw, "gate.host"), Conf.port(raw, "gate.wsPort", offset),
          Conf.port(raw, "gate.tcpPort", offset), Conf.intIn(raw, "gate.maxFrameBytes", 1024, 16 << 20),
          Conf.intIn(raw, "gate.idleTimeoutSeconds", 2, 3600),
          Conf.intIn(raw, "gate.loginTimeoutMs", 100, 60000), p,
          Conf.intIn(raw, "gate.opsPerSecond", 1, 100000), Conf.intIn(raw, "gate.opsBurst", 1, 100000),
          Conf.intIn(raw, "gate.maxSessions", 1, 10_000_000),
          Conf.intIn(raw, "gate.maxQueuedBytes", 16 * 1024, 256 << 20));
    }
  }

  public record AdminConfig(String host, int port) {
  }

  public record MysqlConfig(List<String> shardUris, int poolSize) {
    static MysqlConfig from(JsonObject raw) {
      List<String> shards = Conf.strings(raw, "mysql.shards");
      List<String> uris = shards.isEmpty() ? List.of(Conf.str(raw, "mysql.uri")) : shards;
      for (String u : uris) {
        if (!u.startsWith("mysql://") && !u.startsWith("mariadb://")) {
          throw new IllegalArgumentException("config mysql.uri/shards: '" + u + "' is not a mysql:// URI");
        }
      }
      return new MysqlConfig(uris, Conf.intIn(raw, "mysql.poolSize", 1, 256));
    }
  }

  public record RedisConfig(String uri, String prefix, int poolSize) {
  }

  public record OnlineConfig(long leaseMs, long renewMs, int buckets) {
    static OnlineConfig from(JsonObject raw) {
      int lease = Conf.intIn(raw, "online.leaseMs", 1000, 600000);
      int renew = Conf.intIn(raw, "online.renewMs", 100, 600000);
      if (renew * 2 > lease) {
        throw new IllegalArgumentException("config online.renewMs must be at most half of online.leaseMs");
      }
      return new OnlineConfig(lease, renew, Conf.intIn(raw, "online.buckets", 1, 1 << 20));
    }
  }
}
