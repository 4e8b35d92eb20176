package io.ravenpost.common;

import io.vertx.core.Future;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The node's stores: the MySQL shards, and Redis through two pools: the main one, and a few
 * connections of their own for the node's liveness (lease renewals, kicks asked through Redis), so
 * that a fan-out queueing thousands of commands never delays a renewal past the lease.
 */
public final class Stores {
  private final Db db;
  private final Redis redisClient;
  private final RedisAPI redis;
  private final Redis controlClient;
  private final RedisAPI control;
  private final String prefix;
  private final boolean clustered;

  /**
   * @param prefix    prepended to every Redis key, so that deployments (and test runs) sharing a Redis never meet
   * @param clustered whether Redis is a Redis Cluster: keys then carry slot tags
   */
  public Stores(Db db, Redis redisClient, Redis controlClient, String prefix, boolean clustered) {
    this.db = db;
    this.redisClient = redisClient;
    this.redis = RedisAPI.api(redisClient);
    this.controlClient = controlClient;
    this.control = RedisAPI.api(controlClient);
    this.prefix = prefix;
    this.clustered = clustered;
  }

  public Db db() {
    return db;
  }

  public RedisAPI redis() {
    return redis;
  }

  /** The pooled Redis client, for callers that need a dedicated connection (blocking pops). */
  public Redis redisClient() {
    return redisClient;
  }

  /** The liveness connections: lease renewals, evictions. */
  public RedisAPI control() {
    return control;
  }

  public Redis controlClient() {
    return controlClient;
  }

  public boolean redisClustered() {
    return clustered;
  }

  /** A Redis key of this deployment. */
  public String key(String suffix) {
    return prefix + suffix;
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
    if (!clustered) {
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

  /** Closes both Redis pools and the MySQL shards. */
  public Future<Void> close() {
    return db.close().eventually(redisClient::close).eventually(controlClient::close);
  }
}
