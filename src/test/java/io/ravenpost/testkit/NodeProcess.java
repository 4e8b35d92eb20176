package io.ravenpost.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A node in a JVM of its own, configured only through the environment an operator would set, so a
 * test can do to it what happens to real processes: SIGSTOP (a long GC pause, a stalled VM),
 * SIGCONT, SIGKILL. {@code prefix} (e.g. {@code ip netns exec NS}) runs it inside another network
 * namespace.
 */
public final class NodeProcess implements AutoCloseable {
  /** The flags Hazelcast asks for (as in pom.xml's hz.jvm.flags and run.sh). */
  public static final List<String> HAZELCAST_FLAGS = List.of("--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroyForcibly), "node-processes"));
  }

  private final String name;
  private final Process process;
  private final Path log;
  private final Map<String, String> env;

  private NodeProcess(String name, Process process, Path log, Map<String, String> env) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.env = env;
  }

  /** Starts {@code io.ravenpost.Main node} from this JVM's class path with {@code env} added. */
  public static NodeProcess start(String name, List<String> prefix, Map<String, String> env) {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(HAZELCAST_FLAGS);
    cmd.addAll(List.of("-Xms128m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "io.ravenpost.Main", "node"));
    Path log = Path.of("target", "node-logs", name + "-" + System.currentTimeMillis() + ".log");
    try {
      Files.createDirectories(log.getParent());
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      LIVE.add(p);
      p.onExit().thenRun(() -> LIVE.remove(p));
      return new NodeProcess(name, p, log, Map.copyOf(env));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start node " + name + ": " + e.getMessage(), e);
    }
  }

  /** A port free on 127.0.0.1 right now. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits for the "ready" line the node prints once every role is deployed. */
  public NodeProcess awaitReady(long timeoutMs) {
    Poll.until(name + " prints ready (log " + log + ")", timeoutMs, () -> {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + "; log: " + log);
      }
      try {
        return Files.readString(log).contains("ravenpost node ");
      } catch (IOException e) {
        return false;
      }
    });
    return this;
  }

  public String name() {
    return name;
  }

  public Map<String, String> env() {
    return env;
  }

  public Path log() {
    return log;
  }

  public long pid() {
    return process.pid();
  }

  public boolean alive() {
    return process.isAlive();
  }

  /** Sends a signal by name (STOP, CONT, KILL, TERM) with the system's kill. */
  public void signal(String sig) {
    try {
      Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(process.pid())).inheritIO().start();
      if (!k.waitFor(5, TimeUnit.SECONDS) || k.exitValue() != 0) {
        throw new IllegalStateException("kill -" + sig + " " + process.pid() + " failed");
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM (a graceful stop), then SIGKILL if it has not gone within 20 s. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    signal("CONT");
    process.destroy();
    try {
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** The environment a node needs to join this test's Redis, MySQL and cluster. */
  public static Map<String, String> baseEnv(String clusterName, String redisPrefix) {
    Map<String, String> env = new HashMap<>();
    env.put("RAVEN_CLUSTER_NAME", clusterName);
    env.put("RAVEN_REDIS_PREFIX", redisPrefix);
    env.put("RAVEN_REDIS_URI", TestEnv.redisUri());
    env.put("RAVEN_MYSQL_URI", TestEnv.mysqlUri());
    env.put("RAVEN_JWT_SECRET", TestEnv.SECRET);
    env.put("RAVEN_ADMIN_JWT_SECRET", TestEnv.ADMIN_SECRET);
    env.put("RAVEN_NODE_PORT_OFFSET", "0");
    return env;
  }
}
