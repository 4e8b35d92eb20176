package io.ravenpost.bench.node;

import io.ravenpost.bench.Progress;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A local Redis Cluster of three masters (no replicas: the benchmark measures the steady state, not
 * failover) on free ports, for {@code --redis-cluster}. Its processes and files go away on close.
 */
public final class RedisClusterProcs implements AutoCloseable {
  private static final int MASTERS = 3;
  private static final long READY_MS = 30_000;

  private final Path dir;
  private final List<Integer> ports = new ArrayList<>();
  private final List<Process> procs = new ArrayList<>();

  private RedisClusterProcs(Path dir) {
    this.dir = dir;
  }

  public static RedisClusterProcs start(Path outDir) {
    try {
      Files.createDirectories(outDir);
      RedisClusterProcs c = new RedisClusterProcs(Files.createTempDirectory(outDir.toAbsolutePath(), "redis-cluster"));
      try {
        c.boot();
        return c;
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
    } catch (IOException e) {
      throw new IllegalStateException("no directory for a local Redis Cluster: " + e.getMessage(), e);
    }
  }

  private void boot() throws IOException {
    for (int p = 7300; ports.size() < MASTERS && p < 9000; p++) {
      if (free(p) && free(p + 10000)) {
        ports.add(p);
      }
    }
    for (int p : ports) {
      procs.add(new ProcessBuilder("redis-server", "--port", Integer.toString(p), "--bind", "127.0.0.1",
          "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes-" + p + ".conf").toString(),
          "--dir", dir.toString(), "--save", "", "--appendonly", "no")
          .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + p + ".log").toFile()).start());
    }
    ports.forEach(p -> await("redis-server on " + p, () -> cli(List.of("-p", Integer.toString(p), "ping")).contains("PONG")));
    List<String> create = new ArrayList<>(List.of("--cluster", "create"));
    ports.forEach(p -> create.add("127.0.0.1:" + p));
    create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
    String out = cli(create);
    if (!out.contains("All 16384 slots covered")) {
      throw new IllegalStateException("redis-cli --cluster create failed: " + out);
    }
    ports.forEach(p -> await("cluster_state:ok on " + p,
        () -> cli(List.of("-p", Integer.toString(p), "cluster", "info")).contains("cluster_state:ok")));
    Progress.say("redis cluster: " + MASTERS + " masters on ports " + ports);
  }

  /** Seed URIs for {@code RAVEN_REDIS_CLUSTER_NODES}. */
  public List<String> nodes() {
    return ports.stream().map(p -> "redis://127.0.0.1:" + p).toList();
  }

  private static void await(String what, java.util.function.BooleanSupplier ok) {
    long end = System.currentTimeMillis() + READY_MS;
    while (!ok.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new IllegalStateException("not within " + READY_MS + " ms: " + what);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private String cli(List<String> args) {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1"));
    cmd.addAll(args);
    try {
      Path out = Files.createTempFile(dir, "cli", ".out");
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      String s = Files.readString(out);
      Files.deleteIfExists(out);
      return s;
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    procs.forEach(Process::destroyForcibly);
    for (Process p : procs) {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // best effort: the directory lives under the bench output
    }
  }
}
