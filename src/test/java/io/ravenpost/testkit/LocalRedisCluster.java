package io.ravenpost.testkit;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Redis Cluster of its own on 127.0.0.1: three masters with one replica each, on free ports, in a
 * temporary directory, started with {@code redis-server --cluster-enabled yes} and joined with
 * {@code redis-cli --cluster create}. A short node timeout makes a killed master's replica take
 * over within seconds. {@link #close()} kills every process and deletes the directory.
 */
public final class LocalRedisCluster implements AutoCloseable {
  private static final int NODES = 6;
  /** Short, so failover tests finish quickly; long enough that a busy test JVM is not taken for dead. */
  private static final int NODE_TIMEOUT_MS = 2000;
  private static LocalRedisCluster shared;

  private final Path dir;
  private final Map<Integer, Process> procs = new LinkedHashMap<>();

  private LocalRedisCluster(Path dir) {
    this.dir = dir;
  }

  /** One cluster for the whole test JVM (tests isolate themselves by key prefix); never kill its masters. */
  public static synchronized LocalRedisCluster shared() {
    if (shared == null) {
      shared = start();
      LocalRedisCluster c = shared;
      Runtime.getRuntime().addShutdownHook(new Thread(c::close));
    }
    return shared;
  }

  /** A cluster of the caller's own, ready ({@code cluster_state:ok} on every node). */
  public static LocalRedisCluster start() {
    try {
      LocalRedisCluster c = new LocalRedisCluster(Files.createTempDirectory("raven-rcluster"));
      try {
        c.boot();
        return c;
      } catch (RuntimeException e) {
        c.close();
        throw e;
      }
    } catch (IOException e) {
      throw new IllegalStateException("no temporary directory for a Redis Cluster", e);
    }
  }

  private void boot() {
    for (int port : freePorts()) {
      procs.put(port, launch(port));
    }
    procs.keySet().forEach(p -> Poll.until("redis-server on " + p + " answers", 15_000,
        () -> cli(p, "ping").contains("PONG")));
    List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
    procs.keySet().forEach(p -> create.add("127.0.0.1:" + p));
    create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
    String out = run(create, 60);
    if (!out.contains("All 16384 slots covered")) {
      throw new IllegalStateException("redis-cli --cluster create failed:\n" + out);
    }
    awaitHealthy(List.copyOf(procs.keySet()));
  }

  private Process launch(int port) {
    try {
      return new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
          "--cluster-enabled", "yes", "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
          "--cluster-node-timeout", Integer.toString(NODE_TIMEOUT_MS), "--dir", dir.toString(),
          "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes")
          .redirectErrorStream(true).redirectOutput(dir.resolve("redis-" + port + ".log").toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server (is it installed?)", e);
    }
  }

  /** Seed URIs for {@code redis.clusterNodes}: every node, masters and replicas. */
  public List<String> nodes() {
    return procs.keySet().stream().map(p -> "redis://127.0.0.1:" + p).toList();
  }

  /** Ports of the nodes that are masters now. */
  public List<Integer> masters() {
    return procs.entrySet().stream().filter(e -> e.getValue().isAlive())
        .map(Map.Entry::getKey).filter(p -> cli(p, "role").startsWith("master")).toList();
  }

  /** The port of the master that serves {@code key}'s slot now. */
  public int masterOf(String key) {
    int port = masters().get(0);
    int slot = Integer.parseInt(cli(port, "cluster", "keyslot", key).trim());
    for (String line : cli(port, "cluster", "nodes").split("\n")) {
      String[] f = line.trim().split(" ");
      if (f.length < 9 || !f[2].contains("master") || f[2].contains("fail")) {
        continue;
      }
      for (int i = 8; i < f.length; i++) {
        if (f[i].startsWith("[")) {
          continue;
        }
        String[] range = f[i].split("-");
        int from = Integer.parseInt(range[0]);
        int to = range.length > 1 ? Integer.parseInt(range[1]) : from;
        if (slot >= from && slot <= to) {
          return Integer.parseInt(f[1].substring(f[1].indexOf(':') + 1, f[1].indexOf('@')));
        }
      }
    }
    throw new IllegalStateException("no master serves slot " + slot);
  }

  /**
   * Kills master {@code port} as a crash would (SIGKILL) and waits until one of its replicas is
   * master in its place and the cluster is whole again; returns the new master's port.
   */
  public int killMaster(int port) {
    return killMaster(port, new long[1]);
  }

  /** As {@link #killMaster(int)}, and puts in {@code promotedAt[0]} when the replica was first seen master (epoch ms). */
  public int killMaster(int port, long[] promotedAt) {
    List<Integer> replicas = procs.keySet().stream().filter(p -> p != port)
        .filter(p -> cli(p, "info", "replication").contains("master_port:" + port)).toList();
    if (replicas.isEmpty()) {
      throw new IllegalStateException("master " + port + " has no replica");
    }
    Process p = procs.get(port);
    p.destroyForcibly();
    try {
      p.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int promoted = Poll.until("a replica of " + port + " promoted", 30_000,
        () -> replicas.stream().filter(r -> cli(r, "role").startsWith("master")).findFirst().orElse(null));
    promotedAt[0] = System.currentTimeMillis();
    awaitHealthy(procs.keySet().stream().filter(q -> q != port).toList());
    return promoted;
  }

  /** Closes every client connection on every live node ({@code CLIENT KILL TYPE normal}), as a network blip would. */
  public void killClients() {
    procs.entrySet().stream().filter(e -> e.getValue().isAlive())
        .forEach(e -> cli(e.getKey(), "client", "kill", "type", "normal"));
  }

  private void awaitHealthy(List<Integer> ports) {
    ports.forEach(p -> Poll.until("cluster_state:ok on " + p, 30_000,
        () -> cli(p, "cluster", "info").contains("cluster_state:ok")));
  }

  private static String cli(int port, String... args) {
    List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port)));
    cmd.addAll(List.of(args));
    return run(cmd, 10);
  }

  private static String run(List<String> cmd, int timeoutSeconds) {
    try {
      File out = File.createTempFile("raven-rcli", ".out");
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          return "";
        }
        return Files.readString(out.toPath(), StandardCharsets.UTF_8);
      } finally {
        Files.deleteIfExists(out.toPath());
      }
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Ports whose cluster bus port (port + 10000) is free as well. */
  private static List<Integer> freePorts() {
    List<Integer> ports = new ArrayList<>();
    int base = 7100 + ThreadLocalRandom.current().nextInt(0, 200) * 10;
    for (int p = base; ports.size() < NODES && p < 20000; p++) {
      if (free(p) && free(p + 10000)) {
        ports.add(p);
      }
    }
    return ports;
  }

  private static boolean free(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(false);
      s.bind(new InetSocketAddress("127.0.0.1", port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public synchronized void close() {
    procs.values().forEach(Process::destroyForcibly);
    procs.values().forEach(p -> {
      try {
        p.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    procs.clear();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // already gone
    }
  }
}
