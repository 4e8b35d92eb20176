package io.ravenpost.node;

import io.ravenpost.admin.AdminConfig;
import io.ravenpost.common.config.ClusterConfig;
import io.ravenpost.common.config.Conf;
import io.ravenpost.common.config.JwtConfig;
import io.ravenpost.common.config.LogConfig;
import io.ravenpost.common.config.MysqlConfig;
import io.ravenpost.common.config.NodeConfig;
import io.ravenpost.common.config.RedisConfig;
import io.ravenpost.common.config.SchedulerConfig;
import io.ravenpost.gate.GateConfig;
import io.ravenpost.grants.GrantsConfig;
import io.ravenpost.mail.MailConfig;
import io.ravenpost.mail.global.store.GlobalConfig;
import io.ravenpost.online.OnlineConfig;
import io.ravenpost.schedule.ScheduleConfig;
import io.ravenpost.stats.StatsConfig;
import io.ravenpost.watch.WatchConfig;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The node's whole configuration, checked once at start-up. Layers, in increasing precedence: the
 * defaults bundled in the jar ({@code config/ravenpost.json} of the source tree), the file named
 * by {@code RAVEN_CONFIG} (else {@code config/ravenpost.json} when the working directory has it),
 * environment overrides ({@code a.bC} is {@code RAVEN_A_B_C}; lists comma-separated), then
 * programmatic overrides (tests). A key the defaults do not have is an error naming it, and every
 * section is a typed record (the features' own, in their packages) composed and validated here, so a
 * bad value stops the node with a message naming the key.
 */
public final class RavenConfig {
  private static final String BUNDLED = "ravenpost.json";
  private static final String LOCAL = "config/ravenpost.json";

  private final JsonObject raw;
  private final NodeConfig node;
  private final ClusterConfig cluster;
  private final GateConfig gate;
  private final AdminConfig admin;
  private final MysqlConfig mysql;
  private final RedisConfig redis;
  private final JwtConfig jwt;
  private final OnlineConfig online;
  private final WatchConfig watch;
  private final MailConfig mail;
  private final GlobalConfig global;
  private final SchedulerConfig scheduler;
  private final ScheduleConfig schedule;
  private final StatsConfig stats;
  private final GrantsConfig grants;
  private final LogConfig log;

  private RavenConfig(JsonObject raw) {
    this.raw = raw;
    int offset = Conf.intIn(raw, "node.portOffset", 0, 60000);
    this.node = NodeConfig.from(raw);
    this.cluster = ClusterConfig.from(raw);
    this.gate = GateConfig.from(raw, offset);
    this.admin = AdminConfig.from(raw, offset);
    this.mysql = MysqlConfig.from(raw);
    this.redis = RedisConfig.from(raw);
    this.jwt = JwtConfig.from(raw);
    this.online = OnlineConfig.from(raw);
    this.watch = WatchConfig.from(raw);
    this.global = GlobalConfig.from(raw);
    this.scheduler = SchedulerConfig.from(raw);
    this.schedule = ScheduleConfig.from(raw);
    this.stats = StatsConfig.from(raw);
    this.grants = GrantsConfig.from(raw);
    this.mail = MailConfig.from(raw, grants.delivery() == GrantsConfig.Delivery.EVENTBUS);
    this.log = LogConfig.from(raw);
  }

  /** Loads defaults, file, environment and overrides, in that order of increasing precedence. */
  public static RavenConfig load(Map<String, String> env, JsonObject overrides) {
    JsonObject shipped = bundled();
    JsonObject raw = shipped.copy();
    String path = env.get("RAVEN_CONFIG");
    if (path != null && !path.isBlank()) {
      layer(raw, read(Path.of(path)), path);
    } else if (Files.exists(Path.of(LOCAL))) {
      layer(raw, read(Path.of(LOCAL)), LOCAL);
    }
    Conf.applyEnv(raw, "RAVEN", env);
    layer(raw, overrides == null ? new JsonObject() : overrides, "the overrides");
    RavenConfig cfg = new RavenConfig(raw);
    refuseShippedSecrets(cfg, shipped);
    return cfg;
  }

  public static RavenConfig load(JsonObject overrides) {
    return load(System.getenv(), overrides);
  }

  /** Merges {@code over} into {@code base}, refusing any key the defaults do not have. */
  private static void layer(JsonObject base, JsonObject over, String from) {
    Conf.unknownKeys(base, over, "").forEach(k -> {
      throw new IllegalArgumentException("config " + k + " (in " + from + ") is not a known key");
    });
    Conf.deepMerge(base, over);
  }

  /**
   * The development secrets in the bundled config are public: with the player one, anyone who
   * reaches a listener can mint a token for any player; with the operator one, an admin token. They
   * are only tolerated while every listener is on loopback.
   */
  private static void refuseShippedSecrets(RavenConfig cfg, JsonObject shipped) {
    refuseShipped(cfg, "jwt.secret", cfg.jwt().secret(), shipped, "RAVEN_JWT_SECRET", "any player");
    refuseShipped(cfg, "admin.jwtSecret", cfg.admin().jwtSecret(), shipped, "RAVEN_ADMIN_JWT_SECRET",
        "an operator (admin or service)");
  }

  private static void refuseShipped(RavenConfig cfg, String key, String secret, JsonObject shipped, String env,
                                    String whom) {
    if (!secret.equals(Conf.str(shipped, key))) {
      return;
    }
    for (String[] l : new String[][] {{"gate.host", cfg.gate().host()}, {"admin.host", cfg.admin().host()},
        {"cluster.host", cfg.cluster().host()}}) {
      if (!loopback(l[1])) {
        throw new IllegalArgumentException("config " + key + " is the development secret shipped with Ravenpost, "
            + "and " + l[0] + " is " + l[1] + " (not loopback): anyone who reaches it could mint tokens for "
            + whom + ". Set " + env + " to a secret of your own (at least 32 characters), or bind every "
            + "listener to 127.0.0.1");
      }
    }
  }

  private static boolean loopback(String host) {
    return host.equals("localhost") || host.equals("::1") || host.startsWith("127.");
  }

  private static JsonObject read(Path p) {
    if (!Files.isRegularFile(p)) {
      throw new IllegalArgumentException("RAVEN_CONFIG names " + p + ", which is not a readable file");
    }
    try {
      return new JsonObject(Files.readString(p));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("config file " + p + " is not valid JSON: " + e.getMessage());
    }
  }

  private static JsonObject bundled() {
    try (InputStream in = RavenConfig.class.getClassLoader().getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new IllegalStateException("the bundled default config " + BUNDLED + " is missing from the class path");
      }
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the bundled config: " + e.getMessage(), e);
    }
  }

  /** The merged tree, for diagnostics and for add-ons' own switches (e.g. {@code bench.echo}). */
  public JsonObject raw() {
    return raw.copy();
  }

  /** A raw value by dotted key, or null; for add-ons whose keys the product does not type. */
  public Object value(String dottedKey) {
    return Conf.get(raw, dottedKey);
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

  public JwtConfig jwt() {
    return jwt;
  }

  public OnlineConfig online() {
    return online;
  }

  public WatchConfig watch() {
    return watch;
  }

  public MailConfig mail() {
    return mail;
  }

  public GlobalConfig global() {
    return global;
  }

  public SchedulerConfig scheduler() {
    return scheduler;
  }

  public ScheduleConfig schedule() {
    return schedule;
  }

  public StatsConfig stats() {
    return stats;
  }

  public GrantsConfig grants() {
    return grants;
  }

  public LogConfig log() {
    return log;
  }
}
