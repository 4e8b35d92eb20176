package io.ravenpost.multihost;

import io.ravenpost.mail.global.GlobalTesting.Scratch;
import io.ravenpost.testkit.Poll;
import io.ravenpost.testkit.TcpProxy;
import io.ravenpost.testkit.TestEnv;
import io.ravenpost.testkit.TestHttp;
import io.ravenpost.testkit.TestTokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Three hosts as three network namespaces, one Ravenpost node on each, a Redis of the bed's own on
 * the bridge and a relay to the test MariaDB server (a scratch database of the bed's own), everything removed by {@link #close} (also from a
 * shutdown hook, and by the next run if this JVM dies first). Tests reach the nodes through their
 * public ports only: the gate and admin HTTP on each host's address.
 */
final class Bed implements AutoCloseable {
  static final int HOSTS = 3;
  /** Shorter than the default 5000/1500 so failover steps stay short; the same ratio. */
  static final int LEASE_MS = 3000;
  static final int RENEW_MS = 1000;
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(3);

  final BedNetwork net;
  final Path logDir;
  private final List<BedNode> nodes = new ArrayList<>();
  private final Thread hook;
  private Process redis;
  private Scratch db;
  private TcpProxy mysqlRelay;
  private boolean closed;

  private Bed(BedNetwork net) {
    this.net = net;
    this.logDir = Path.of("target", "multihost", net.id).toAbsolutePath();
    this.hook = new Thread(this::close, "bed-cleanup-" + net.id);
    Runtime.getRuntime().addShutdownHook(hook);
  }

  /** The bed with every node ready and the cluster whole; the latency link is on host {@code tapHost}. */
  static Bed start(int tapHost) {
    Bed bed = new Bed(BedNetwork.create(HOSTS, tapHost));
    try {
      bed.startServices();
      for (int i = 0; i < HOSTS; i++) {
        bed.nodes.add(new BedNode(i, bed.net.ns(i), bed.net.hostAddress(i), bed.nodeEnv(i)));
      }
      bed.nodes.forEach(BedNode::start);
      for (BedNode n : bed.nodes) {
        bed.awaitReady(n);
      }
      Poll.until("the 3 nodes form one cluster: " + bed.clusterView(), 60_000, bed::whole);
      return bed;
    } catch (RuntimeException | Error e) {
      bed.close();
      throw e;
    }
  }

  /**
   * What an operator sets on host {@code i} (README "Several machines"): its own address for the
   * cluster, the gate and the admin port, every host's address as members, shared Redis and MySQL.
   */
  Map<String, String> nodeEnv(int i) {
    List<String> members = new ArrayList<>();
    for (int h = 0; h < HOSTS; h++) {
      members.add(net.hostAddress(h));
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("RAVEN_CONFIG", Path.of("config", "ravenpost.json").toAbsolutePath().toString());
    env.put("RAVEN_NODE_ID", "h" + i);
    env.put("RAVEN_CLUSTER_NAME", net.id);
    env.put("RAVEN_CLUSTER_HOST", net.hostAddress(i));
    env.put("RAVEN_CLUSTER_MEMBERS", String.join(",", members));
    env.put("RAVEN_GATE_HOST", net.hostAddress(i));
    env.put("RAVEN_ADMIN_HOST", net.hostAddress(i));
    env.put("RAVEN_REDIS_URI", "redis://" + net.redisAddress() + ":6379");
    env.put("RAVEN_MYSQL_URI", relayedMysqlUri());
    env.put("RAVEN_JWT_SECRET", TestEnv.SECRET);
    env.put("RAVEN_ADMIN_JWT_SECRET", TestEnv.ADMIN_SECRET);
    env.put("RAVEN_ONLINE_LEASE_MS", Integer.toString(LEASE_MS));
    env.put("RAVEN_ONLINE_RENEW_MS", Integer.toString(RENEW_MS));
    return env;
  }

  BedNode node(int i) {
    return nodes.get(i);
  }

  String address(int i) {
    return net.hostAddress(i);
  }

  private void startServices() {
    try {
      java.nio.file.Files.createDirectories(logDir);
      redis = new ProcessBuilder("redis-server", "--bind", net.redisAddress(), "--port", "6379", "--save", "",
          "--appendonly", "no", "--protected-mode", "no")
          .redirectErrorStream(true).redirectOutput(logDir.resolve("redis.log").toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start redis-server", e);
    }
    BedJanitor.note(net.id, "pid", Long.toString(redis.pid()));
    Poll.until("the bed's redis-server listens on " + net.redisAddress(), 10_000,
        () -> listening(net.redisAddress(), 6379));
    // A database of the bed's own: other suites running at the same time on the test database
    // would otherwise relay (and purge) the bed's grants, and the bed's relays would lease theirs.
    db = new Scratch();
    URI server = URI.create(TestEnv.mysqlUri());
    mysqlRelay = TcpProxy.relay(net.mysqlAddress(), 3306, server.getHost(), server.getPort() < 0 ? 3306
        : server.getPort());
  }

  /** The bed's database as this JVM reaches it (directly, not through the relay). */
  String mysqlUri() {
    String base = TestEnv.mysqlUri();
    return base.substring(0, base.lastIndexOf('/') + 1) + db.name;
  }

  /** The bed's database with the relay's bridge address in place of the server's. */
  private String relayedMysqlUri() {
    URI server = URI.create(TestEnv.mysqlUri());
    return server.getScheme() + "://" + server.getRawUserInfo() + "@" + net.mysqlAddress() + ":3306/" + db.name;
  }

  private void awaitReady(BedNode n) {
    Poll.until("node " + n.label() + " in " + n.ns + " is ready on " + n.address, 120_000, () -> {
      if (!n.alive()) {
        throw new AssertionError("node " + n.label() + " exited while starting:\n" + n.logTail(40));
      }
      return n.ready();
    });
  }

  /** Starts node {@code i} again in its namespace (after a kill) and waits until it is ready. */
  void restart(int i) {
    nodes.get(i).start();
    awaitReady(nodes.get(i));
  }

  /** GET /admin/stats of host {@code i}, or null when it does not answer within 3 s. */
  JsonObject stats(int i) {
    try {
      TestHttp.Response r = admin(i, "GET", "/admin/stats", null);
      return r.status() == 200 ? r.json() : null;
    } catch (RuntimeException e) {
      return null;
    }
  }

  TestHttp.Response admin(int i, String method, String path, JsonObject body) {
    return admin(i, method, path, body, Map.of(), ADMIN_TIMEOUT);
  }

  TestHttp.Response admin(int i, String method, String path, JsonObject body, Map<String, String> headers,
                          Duration timeout) {
    return TestHttp.send(net.hostAddress(i), BedNode.ADMIN_PORT, method, path, TestTokens.admin(), body, headers,
        timeout);
  }

  /** Whole: every node answers and lists all 3 members, each reachable over the event bus. */
  boolean whole() {
    for (int i = 0; i < HOSTS; i++) {
      if (!wholeFrom(stats(i))) {
        return false;
      }
    }
    return true;
  }

  static boolean wholeFrom(JsonObject stats) {
    if (stats == null || stats.getInteger("clusterMembers", 0) != HOSTS) {
      return false;
    }
    JsonArray members = stats.getJsonArray("members", new JsonArray());
    if (members.size() != HOSTS) {
      return false;
    }
    for (int m = 0; m < members.size(); m++) {
      if (!members.getJsonObject(m).getBoolean("reachable", false)) {
        return false;
      }
    }
    return true;
  }

  /** Each node's view, for messages: {h0: [h0 ok, h1 ok, h2 unreachable], h1: no answer, ...}. */
  String clusterView() {
    StringBuilder sb = new StringBuilder("{");
    for (int i = 0; i < HOSTS; i++) {
      JsonObject s = stats(i);
      sb.append(i == 0 ? "" : ", ").append('h').append(i).append(": ");
      if (s == null) {
        sb.append("no answer");
        continue;
      }
      List<String> ms = new ArrayList<>();
      for (Object o : s.getJsonArray("members", new JsonArray())) {
        JsonObject m = (JsonObject) o;
        ms.add(m.getString("node") + (m.getBoolean("reachable", false) ? " ok" : " unreachable"));
      }
      sb.append(ms);
    }
    return sb.append('}').toString();
  }

  private static boolean listening(String host, int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (BedNode n : nodes) {
      if (n.alive()) {
        n.kill9();
      }
    }
    if (mysqlRelay != null) {
      try {
        mysqlRelay.close();
      } catch (RuntimeException | AssertionError e) {
        // the relay's event loop may already be stopping (JVM exit)
      }
    }
    if (redis != null) {
      redis.destroyForcibly();
    }
    if (db != null) {
      try {
        db.close();
      } catch (RuntimeException | AssertionError e) {
        System.err.println("bed " + net.id + ": could not drop " + db.name + ": " + e);
      }
    }
    net.close();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: this is the hook
    }
  }
}
