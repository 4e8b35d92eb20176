package io.ravenpost.common;

import io.micrometer.core.instrument.MeterRegistry;
import io.ravenpost.common.config.RavenConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What every verticle of a node shares: its identity, config, clients and metrics. One per
 * node; several nodes in one JVM (tests) each have their own.
 */
public final class NodeContext {
  private final String nodeId;
  private final RavenConfig config;
  private final Vertx vertx;
  private final Db db;
  private final Redis redisClient;
  private final RedisAPI redis;
  private Redis controlClient;
  private RedisAPI control;
  private final Tokens tokens;
  private final Tokens operatorTokens;
  private final MeterRegistry metrics;
  private final AtomicBoolean crashed = new AtomicBoolean();
  private volatile HazelcastClusterManager cluster;

  public NodeContext(String nodeId, RavenConfig config, Vertx vertx, Db db, Redis redisClient,
                     Tokens tokens, Tokens operatorTokens, MeterRegistry metrics) {
    this.nodeId = nodeId;
    this.config = config;
    this.vertx = vertx;
    this.db = db;
    this.redisClient = redisClient;
    this.redis = RedisAPI.api(redisClient);
    this.tokens = tokens;
    this.operatorTokens = operatorTokens;
    this.metrics = metrics;
  }

  public String nodeId() {
    return nodeId;
  }

  public RavenConfig config() {
    return config;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Db db() {
    return db;
  }

  /** The pooled Redis client, for callers that need a dedicated connection (blocking pops). */
  public Redis redisClient() {
    return redisClient;
  }

  public RedisAPI redis() {
    return redis;
  }

  /** True when Redis is a Redis Cluster ({@code redis.mode} = cluster): keys then carry slot tags. */
  public boolean redisClustered() {
    return config.redis().clustered();
  }

  /**
   * Independent commands in one round trip, replies in request order. On one Redis they are
   * pipelined as a batch; a Redis Cluster client only batches commands of one slot, so there they
   * go out one by one (still pipelined per cluster node) and are collected in order.
   */
  public Future<List<Response>> redisBatch(List<Request> requests) {
    if (requests.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    if (!redisClustered()) {
      return redisClient.batch(requests);
    }
    List<Future<Response>> sends = requests.stream().map(redisClient::send).toList();
    return Future.all(sends).map(cf -> {
      List<Response> out = new ArrayList<>(sends.size());
      for (int i = 0; i < sends.size(); i++) {
        out.add(cf.resultAt(i));
      }
      return out;
    });
  }

  /**
   * Connections of their own for the node's liveness (lease renewals, kicks asked through Redis):
   * a fan-out that queues thousands of commands on the main pool must never delay a renewal past
   * the lease, or the node would fence itself and close every session.
   */
  public RedisAPI control() {
    return control == null ? redis : control;
  }

  public Redis controlClient() {
    return controlClient == null ? redisClient : controlClient;
  }

  public void attachControl(Redis client) {
    this.controlClient = client;
    this.control = RedisAPI.api(client);
  }

  /** Player tokens (the player secret): client logins. */
  public Tokens tokens() {
    return tokens;
  }

  /** Operator tokens ({@code admin.jwtSecret}): the HTTP API's admin and service tokens. */
  public Tokens operatorTokens() {
    return operatorTokens;
  }

  public MeterRegistry metrics() {
    return metrics;
  }

  /** Redis key prefix, so that test runs and deployments sharing a Redis do not collide. */
  public String key(String suffix) {
    return config.redis().prefix() + suffix;
  }

  public void attachCluster(HazelcastClusterManager cluster) {
    this.cluster = cluster;
  }

  /** Vert.x node ids of the cluster's current members (just this node when not clustered). */
  public List<String> clusterNodes() {
    return cluster == null ? List.of(nodeId) : cluster.getNodes();
  }

  /** False once this node has lost or left its cluster. */
  public boolean clusterActive() {
    return cluster == null || cluster.isActive();
  }

  public HazelcastClusterManager cluster() {
    return cluster;
  }

  /**
   * Set when a test simulates a node dying: stop() methods then skip every graceful step
   * (no kicks, no registry release), leaving Redis exactly as a killed process would.
   */
  public boolean crashed() {
    return crashed.get();
  }

  public void markCrashed() {
    crashed.set(true);
  }
}
