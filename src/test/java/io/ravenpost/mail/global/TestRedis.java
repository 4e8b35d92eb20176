package io.ravenpost.mail.global;

import io.ravenpost.testkit.Await;
import io.ravenpost.testkit.LocalRedisCluster;
import io.ravenpost.testkit.TestClient;
import io.ravenpost.testkit.TestEnv;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisAPI;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis client of the test's own, for looking at (and damaging) one cluster's keys. Names are
 * given as on one Redis ({@code gmail:queue}); on a Redis Cluster they are mapped to their tagged
 * form.
 */
public final class TestRedis implements AutoCloseable {
  public final RedisAPI api;
  private final Redis client;
  private final String prefix;
  private final LocalRedisCluster cluster;

  public TestRedis(String prefix) {
    this.prefix = prefix;
    this.cluster = TestEnv.redisCluster();
    this.client = TestEnv.redisClient();
    this.api = RedisAPI.api(client);
  }

  /** The full key of a name given as on one Redis. */
  public String key(String suffix) {
    if (cluster != null) {
      suffix = suffix.replaceFirst("^gmail:(queue|inflight|wake)$", "gmail:{q}:$1")
          .replaceFirst("^gmail:(ids|body:.*)$", "gmail:{g}:$1");
    }
    return prefix + suffix;
  }

  long zcard(String suffix) {
    return Await.result(api.zcard(key(suffix))).toLong();
  }

  boolean exists(String suffix) {
    return Await.result(api.exists(List.of(key(suffix)))).toInteger() == 1;
  }

  /** Members of a ZSET (as strings). */
  List<String> members(String suffix) {
    List<String> out = new ArrayList<>();
    Await.result(api.zrange(List.of(key(suffix), "0", "-1"))).forEach(r -> out.add(r.toString()));
    return out;
  }

  /**
   * Deletes every key of this cluster (SCAN + DEL under its prefix only: other tests share this
   * Redis). A Redis Cluster's SCAN sees one node's keys, so there every master is scanned.
   */
  int deleteAll() {
    if (cluster == null) {
      return deleteAll(api);
    }
    int n = 0;
    for (int port : cluster.masters()) {
      Redis one = Redis.createClient(TestClient.vertx(), "redis://127.0.0.1:" + port);
      try {
        n += deleteAll(RedisAPI.api(one));
      } finally {
        one.close();
      }
    }
    return n;
  }

  private int deleteAll(RedisAPI node) {
    int n = 0;
    String cursor = "0";
    do {
      Response r = Await.result(node.scan(List.of(cursor, "MATCH", prefix + "*", "COUNT", "1000")));
      cursor = r.get(0).toString();
      for (Response k : r.get(1)) {
        Await.result(node.del(List.of(k.toString())));
        n++;
      }
    } while (!"0".equals(cursor));
    return n;
  }

  @Override
  public void close() {
    client.close();
  }
}
