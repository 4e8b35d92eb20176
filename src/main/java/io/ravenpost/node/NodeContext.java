package io.ravenpost.node;

import io.micrometer.core.instrument.MeterRegistry;
import io.ravenpost.common.Db;
import io.ravenpost.common.Lifecycle;
import io.ravenpost.common.Membership;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.common.Tokens;
import io.vertx.core.Vertx;
import io.vertx.redis.client.RedisAPI;

/**
 * Everything a node is built from, held by the start-up code that wires the features: each
 * feature is handed only the handles it uses ({@link NodeInfo}, {@link Stores}, {@link Membership},
 * {@link Lifecycle}, its own config record, the tokens it checks), never this. Tests reach a
 * running node's parts through it.
 */
public final class NodeContext {
  private final NodeInfo info;
  private final RavenConfig config;
  private final Stores stores;
  private final Membership membership;
  private final Lifecycle lifecycle;
  private final Tokens tokens;
  private final Tokens operatorTokens;

  NodeContext(NodeInfo info, RavenConfig config, Stores stores, Membership membership, Lifecycle lifecycle,
              Tokens tokens, Tokens operatorTokens) {
    this.info = info;
    this.config = config;
    this.stores = stores;
    this.membership = membership;
    this.lifecycle = lifecycle;
    this.tokens = tokens;
    this.operatorTokens = operatorTokens;
  }

  public NodeInfo info() {
    return info;
  }

  public String nodeId() {
    return info.id();
  }

  public Vertx vertx() {
    return info.vertx();
  }

  public MeterRegistry metrics() {
    return info.metrics();
  }

  public RavenConfig config() {
    return config;
  }

  public Stores stores() {
    return stores;
  }

  public Db db() {
    return stores.db();
  }

  public RedisAPI redis() {
    return stores.redis();
  }

  /** A Redis key of this node's deployment (its configured prefix). */
  public String key(String suffix) {
    return stores.key(suffix);
  }

  public Membership membership() {
    return membership;
  }

  public Lifecycle lifecycle() {
    return lifecycle;
  }

  /** Player tokens (the player secret): client logins. */
  public Tokens tokens() {
    return tokens;
  }

  /** Operator tokens ({@code admin.jwtSecret}): the HTTP API's admin and service tokens. */
  public Tokens operatorTokens() {
    return operatorTokens;
  }
}
