package io.ravenpost.multihost;

import io.ravenpost.testkit.TestHttp;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One Ravenpost node JVM inside a host's namespace, started as an operator would on a machine of
 * its own: {@code java <Hazelcast flags> -cp <classpath> io.ravenpost.Main node}, configured by
 * environment variables only. Faults act on the process: SIGKILL, SIGSTOP/SIGCONT.
 */
final class BedNode {
  static final int WS_PORT = 7100;
  static final int TCP_PORT = 7101;
  static final int ADMIN_PORT = 7180;
  /** Small heaps and C1 only: three nodes, the test JVM, MariaDB and Redis share 2 cores. */
  private static final List<String> JVM_OPTS = List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1", "-Dhazelcast.logging.type=slf4j");

  final int index;
  final String ns;
  final String address;
  final Map<String, String> env;
  private final Path logDir;
  private int starts;
  private Process process;
  private Path log;

  BedNode(int index, String ns, String address, Map<String, String> env, Path logDir) {
    this.index = index;
    this.ns = ns;
    this.address = address;
    this.env = new TreeMap<>(env);
    this.logDir = logDir;
  }

  String label() {
    return "h" + index;
  }

  synchronized void start() {
    starts++;
    log = logDir.resolve(label() + (starts == 1 ? "" : "-" + starts) + ".log");
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns,
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(hazelcastFlags());
    cmd.addAll(JVM_OPTS);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ravenpost.Main", "node"));
    try {
      Files.createDirectories(logDir);
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
          .directory(Path.of(System.getProperty("user.dir")).toFile());
      pb.environment().keySet().removeIf(k -> k.startsWith("RAVEN_"));
      pb.environment().putAll(env);
      // `ip netns exec` execs the command, so this is the node JVM's own pid (signals reach it).
      process = pb.start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start node " + label(), e);
    }
  }

  /**
   * Ready as an operator sees it: /health on its address answers 200 (MySQL, Redis and the cluster
   * reachable). PROTOCOL.md's /health/ready would be the better probe, but nodes answer it 404.
   */
  boolean ready() {
    try {
      return alive() && TestHttp.send(address, ADMIN_PORT, "GET", "/health", null, null, Map.of(),
          Duration.ofSeconds(2)).status() == 200;
    } catch (RuntimeException e) {
      return false;
    }
  }

  synchronized boolean alive() {
    return process != null && process.isAlive();
  }

  synchronized long pid() {
    return process.pid();
  }

  Path log() {
    return log;
  }

  /** The last lines of its log, for failure messages. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGKILL, as a crash: no graceful steps; returns once the process is gone. */
  synchronized void kill9() {
    Sh.attempt("kill", "-9", Long.toString(process.pid()));
    waitGone(10);
  }

  synchronized void pause() {
    Sh.run("kill", "-STOP", Long.toString(process.pid()));
  }

  synchronized void resume() {
    Sh.run("kill", "-CONT", Long.toString(process.pid()));
  }

  /** SIGTERM (the node's graceful stop), bounded; then SIGKILL. */
  synchronized void stop() {
    if (!alive()) {
      return;
    }
    Sh.attempt("kill", "-CONT", Long.toString(process.pid()));
    process.destroy();
    if (!waitGone(15)) {
      process.destroyForcibly();
      waitGone(10);
    }
  }

  private boolean waitGone(int seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The --add-opens/--add-exports flags surefire gave this JVM (pom.xml's hz.jvm.flags). */
  private static List<String> hazelcastFlags() {
    List<String> out = new ArrayList<>();
    List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.startsWith("--add-")) {
        out.add(a);
        if (!a.contains("=") && i + 1 < args.size()) {
          out.add(args.get(++i));
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalStateException("this JVM has no --add-opens flags: run the bed under surefire "
          + "(its argLine carries pom.xml's hz.jvm.flags), which the node JVMs need as well");
    }
    return out;
  }
}
