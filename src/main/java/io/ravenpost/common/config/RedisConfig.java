package io.ravenpost.common.config;

import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import io.vertx.redis.client.RedisReplicas;
import java.util.List;

/**
 * The {@code redis} section.
 *
 * @param mode         {@code standalone} (one Redis at {@code uri}) or {@code cluster} (a Redis Cluster
 *                     found through {@code clusterNodes})
 * @param clusterNodes seed nodes of the cluster, {@code redis://host:port}; any reachable one is enough
 */
public record RedisConfig(String uri, String prefix, int poolSize, String mode, List<String> clusterNodes) {
  public static final String STANDALONE = "standalone";
  public static final String CLUSTER = "cluster";

  public static RedisConfig from(JsonObject raw) {
    String mode = Conf.str(raw, "redis.mode").trim();
    if (!STANDALONE.equals(mode) && !CLUSTER.equals(mode)) {
      throw new IllegalArgumentException("config redis.mode must be standalone or cluster, not " + mode);
    }
    List<String> nodes = Conf.strings(raw, "redis.clusterNodes");
    String prefix = Conf.str(raw, "redis.prefix");
    if (CLUSTER.equals(mode)) {
      if (nodes.isEmpty()) {
        throw new IllegalArgumentException("config redis.clusterNodes (RAVEN_REDIS_CLUSTER_NODES) must name at "
            + "least one redis://host:port of the cluster when redis.mode is cluster");
      }
      nodes.stream().filter(n -> !n.startsWith("redis://") && !n.startsWith("rediss://")).findFirst()
          .ifPresent(n -> {
            throw new IllegalArgumentException("config redis.clusterNodes entries must be redis://host:port, not " + n);
          });
      // Keys carry hash tags of their own; a brace in the prefix would become the tag of every key.
      if (prefix.contains("{") || prefix.contains("}")) {
        throw new IllegalArgumentException("config redis.prefix must not contain { or } when redis.mode is cluster");
      }
    }
    return new RedisConfig(Conf.str(raw, "redis.uri"), prefix, Conf.intIn(raw, "redis.poolSize", 1, 1024),
        mode, nodes);
  }

  public boolean clustered() {
    return CLUSTER.equals(mode);
  }

  /**
   * Client options for this mode. In cluster mode the pool size is per cluster node, and commands
   * always go to masters: a replica may lag behind what the registry and leases just wrote.
   */
  public RedisOptions options(int maxPoolSize) {
    RedisOptions o = new RedisOptions().setMaxPoolSize(maxPoolSize);
    if (!clustered()) {
      return o.setConnectionString(uri);
    }
    o.setType(RedisClientType.CLUSTER).setUseReplicas(RedisReplicas.NEVER);
    clusterNodes.forEach(o::addConnectionString);
    return o;
  }
}
