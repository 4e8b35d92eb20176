package io.ravenpost.bench.node;

import io.ravenpost.Main;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A node in a child JVM ({@code java -cp ravenpost.jar:ravenpost-bench.jar io.ravenpost.Main node}),
 * configured through the same environment variables an operator would use. A process of its own
 * gives honest RSS numbers; the benchmark's jar on its class path brings the echo plugin.
 */
public final class ChildNode implements BenchNode {
  public static final int WS_BASE = 7100;
  static final int ADMIN_BASE = 7180;
  private static final long STOP_WAIT_S = 30;
  private static final List<String> HAZELCAST_FLAGS = List.of("--add-modules", "java.se",
      "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  /** Children still running; killed by a shutdown hook if the benchmark is interrupted. */
  private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
  /** Set by the hook: a start that races it (a node started again after a kill) must not outlive us. */
  private static volatile boolean exiting;

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      exiting = true;
      LIVE.forEach(Process::destroy);
    }, "bench-children"));
  }

  private final String label;
  private final Process process;
  private final int offset;
  private final Path log;

  private ChildNode(String label, Process process, int offset, Path log) {
    this.label = label;
    this.process = process;
    this.offset = offset;
    this.log = log;
  }

  /**
   * The class path of child JVMs: the product jar and the benchmark's jar (for its echo plugin),
   * the ones this JVM runs from, else the build outputs below the working directory; tests and IDEs
   * that run from class directories give their children this JVM's own class path.
   */
  private static String classPath() {
    Path product = jar(Main.class, Path.of("target", "ravenpost.jar"));
    Path bench = jar(ChildNode.class, Path.of("bench", "target", "ravenpost-bench.jar"));
    if (product != null && bench != null) {
      return product + File.pathSeparator + bench;
    }
    return System.getProperty("java.class.path");
  }

  private static Path jar(Class<?> from, Path built) {
    try {
      Path self = Path.of(from.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (self.toString().endsWith(".jar")) {
        return self;
      }
    } catch (URISyntaxException | RuntimeException e) {
      // Fall through to the build output.
    }
    return Files.exists(built) ? built.toAbsolutePath() : null;
  }

  /**
   * Starts {@code mainClass} with {@code args} in a child JVM on {@link #classPath()}; {@code env}
   * adds to this process's environment. Output goes to {@code log}.
   */
  public static Process spawn(String javaOpts, String mainClass, List<String> args, Map<String, String> env,
                              Path log) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(HAZELCAST_FLAGS);
    for (String o : javaOpts.trim().split("\\s+")) {
      if (!o.isEmpty()) {
        cmd.add(o);
      }
    }
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add(mainClass);
    cmd.addAll(args);
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    Process p = pb.start();
    LIVE.add(p);
    p.onExit().thenRun(() -> LIVE.remove(p));
    if (exiting) {
      p.destroy();
      throw new IOException("the benchmark is exiting");
    }
    return p;
  }

  static ChildNode start(String javaOpts, String label, int offset, Map<String, String> env, Path log)
      throws IOException {
    return new ChildNode(label, spawn(javaOpts, Main.class.getName(), List.of("node"), env, log), offset, log);
  }

  /** A port offset (multiple of 10) whose WebSocket, TCP and admin ports are all free now. */
  public static int freeOffset(int from, int to) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int offset = from + 10 * (int) (Math.random() * ((to - from) / 10));
      if (free(WS_BASE + offset) && free(WS_BASE + 1 + offset) && free(ADMIN_BASE + offset)) {
        return offset;
      }
    }
    throw new IllegalStateException("no free port offset between " + from + " and " + to);
  }

  static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public boolean alive() {
    return process.isAlive();
  }

  int exitCode() {
    return process.isAlive() ? -1 : process.exitValue();
  }

  Path log() {
    return log;
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public int wsPort() {
    return WS_BASE + offset;
  }

  @Override
  public int adminPort() {
    return ADMIN_BASE + offset;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  /** SIGTERM (the node's graceful stop), then a kill if it has not left within 30 s. */
  @Override
  public void stop() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(STOP_WAIT_S, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
