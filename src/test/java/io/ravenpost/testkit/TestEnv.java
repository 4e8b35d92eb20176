package io.ravenpost.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisClientType;
import io.vertx.redis.client.RedisOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.ThreadLocalRandom;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;

/**
 * Where the real MariaDB and Redis are for tests: env URIs ({@code RAVEN_TEST_MYSQL_URI},
 * {@code RAVEN_TEST_MYSQL_URI_B}, {@code RAVEN_TEST_REDIS_URI}), else the local ports, else
 * containers when Docker runs, else a failure that says what to start.
 */
public final class TestEnv {
  public static final String SECRET = "ravenpost-test-secret-that-is-long-enough-0123456789";
  /** The operator secret of test nodes: admin and service tokens. */
  public static final String ADMIN_SECRET = "ravenpost-test-operator-secret-long-enough-9876543210";

  private static String mysqlUri;
  private static String mysqlUriB;
  private static String redisUri;
  private static volatile LocalRedisCluster redisCluster;

  private TestEnv() {
  }

  public static synchronized void ensure() {
    if (mysqlUri != null) {
      return;
    }
    String m = System.getenv("RAVEN_TEST_MYSQL_URI");
    String mb = System.getenv("RAVEN_TEST_MYSQL_URI_B");
    String r = System.getenv("RAVEN_TEST_REDIS_URI");
    if (m == null && portOpen(3306)) {
      m = "mysql://ravenpost:ravenpost@127.0.0.1:3306/ravenpost_test";
      mb = mb == null ? "mysql://ravenpost:ravenpost@127.0.0.1:3306/ravenpost_test_b" : mb;
    }
    if (r == null && portOpen(6379)) {
      r = "redis://127.0.0.1:6379";
    }
    if ((m == null || r == null) && dockerAvailable()) {
      if (m == null) {
        // The second shard gets a database of its own: Flyway refuses to migrate a schema that
        // already holds tables it did not make (the system database, say). Scratch databases as
        // scripts/ensure-services.sh allows them.
        GenericContainer<?> db = new GenericContainer<>("mariadb:10.11").withExposedPorts(3306)
            .withEnv("MARIADB_ROOT_PASSWORD", "root").withEnv("MARIADB_USER", "ravenpost")
            .withEnv("MARIADB_PASSWORD", "ravenpost").withEnv("MARIADB_DATABASE", "ravenpost_test")
            .withCopyToContainer(Transferable.of("CREATE DATABASE ravenpost_test_b;\n"
                + "GRANT ALL PRIVILEGES ON ravenpost_test_b.* TO 'ravenpost'@'%';\n"
                + "GRANT ALL PRIVILEGES ON `ravenpost\\_scratch\\_%`.* TO 'ravenpost'@'%';\n"),
                "/docker-entrypoint-initdb.d/ravenpost.sql");
        db.start();
        String at = db.getHost() + ":" + db.getMappedPort(3306);
        m = "mysql://ravenpost:ravenpost@" + at + "/ravenpost_test";
        mb = "mysql://ravenpost:ravenpost@" + at + "/ravenpost_test_b";
      }
      if (r == null) {
        GenericContainer<?> redis = new GenericContainer<>("redis:7").withExposedPorts(6379);
        redis.start();
        r = "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
      }
    }
    if (m == null || r == null) {
      throw new IllegalStateException("Tests need MariaDB on 127.0.0.1:3306 and Redis on 127.0.0.1:6379 "
          + "(missing: " + (m == null ? "MariaDB " : "") + (r == null ? "Redis" : "")
          + "). Run scripts/ensure-services.sh (it starts both and creates the ravenpost user and "
          + "databases), or set RAVEN_TEST_MYSQL_URI / RAVEN_TEST_REDIS_URI.");
    }
    mysqlUri = m;
    mysqlUriB = mb == null ? m : mb;
    redisUri = r;
  }

  public static String mysqlUri() {
    ensure();
    return mysqlUri;
  }

  /** A second database, for sharding tests. */
  public static String mysqlUriB() {
    ensure();
    return mysqlUriB;
  }

  public static String redisUri() {
    ensure();
    return redisUri;
  }

  /**
   * While set, test nodes use this Redis Cluster ({@code redis.mode} = cluster) instead of the one
   * Redis; see {@link RedisClusterMode}.
   */
  public static void useRedisCluster(LocalRedisCluster cluster) {
    redisCluster = cluster;
  }

  /** The Redis Cluster test nodes use now, or null when they use the one Redis. */
  public static LocalRedisCluster redisCluster() {
    return redisCluster;
  }

  /** A Redis client of the test's own for where test nodes keep their keys now: the one Redis or the cluster. */
  public static Redis redisClient() {
    LocalRedisCluster c = redisCluster;
    RedisOptions o = new RedisOptions();
    if (c == null) {
      o.setConnectionString(redisUri());
    } else {
      o.setType(RedisClientType.CLUSTER);
      c.nodes().forEach(o::addConnectionString);
    }
    return Redis.createClient(TestClient.vertx(), o);
  }

  /**
   * A uid's registry bucket as nodes name it now (with {@code online.buckets} buckets): on a
   * cluster the bucket carries its registry shard's tag (32 shards).
   */
  public static String registryBucket(String prefix, long uid, int buckets) {
    int b = (int) Math.floorMod(uid, (long) buckets);
    return redisCluster == null ? prefix + "online:{" + b + "}" : prefix + "online:{r" + (b % 32) + "}:" + b;
  }

  /** The copy of a node's lease that claims of this uid check (cluster mode only). */
  public static String leaseCopy(String prefix, long uid, int buckets, String nodeId) {
    int b = (int) Math.floorMod(uid, (long) buckets);
    return prefix + "online:{r" + (b % 32) + "}:node:" + nodeId;
  }

  /**
   * Config overrides for one test node: ephemeral ports, a private Redis prefix and cluster name
   * shared by the nodes of one test cluster, and a Hazelcast port range of its own.
   */
  public static JsonObject nodeOverrides(String clusterName, int hazelcastBase, String redisPrefix) {
    JsonArray members = new JsonArray();
    for (int i = 0; i < 10; i++) {
      members.add("127.0.0.1:" + (hazelcastBase + i));
    }
    return new JsonObject()
        .put("node", new JsonObject().put("portOffset", 0).put("id", ""))
        .put("cluster", new JsonObject().put("name", clusterName).put("port", hazelcastBase)
            .put("members", members).put("maxNoHeartbeatSeconds", 4))
        .put("gate", new JsonObject().put("host", "127.0.0.1").put("wsPort", 0).put("tcpPort", 0)
            // Every test client connects from 127.0.0.1; PreLoginLimitsTest sets its own cap.
            .put("maxConnectionsPerIp", 1_000_000))
        .put("admin", new JsonObject().put("host", "127.0.0.1").put("port", 0).put("jwtSecret", ADMIN_SECRET))
        .put("mysql", new JsonObject().put("uri", mysqlUri()).put("shards", new JsonArray()))
        .put("redis", redis(redisPrefix))
        .put("jwt", new JsonObject().put("secret", SECRET))
        // On a Redis Cluster renewals come as often as README asks there (renewMs <= leaseMs/4).
        .put("online", new JsonObject().put("leaseMs", 3000).put("renewMs", redisCluster == null ? 1000 : 750));
  }

  private static JsonObject redis(String prefix) {
    JsonObject r = new JsonObject().put("uri", redisUri()).put("prefix", prefix);
    LocalRedisCluster c = redisCluster;
    return c == null ? r : r.put("mode", "cluster").put("clusterNodes", new JsonArray(c.nodes()));
  }

  public static String randomPrefix() {
    return "rt" + Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffL) + ":";
  }

  /** A uid no other test run will use. */
  public static long randomUid() {
    return ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE / 2);
  }

  private static boolean portOpen(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (Throwable t) {
      return false;
    }
  }
}
