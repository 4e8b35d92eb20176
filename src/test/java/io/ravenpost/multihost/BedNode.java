package io.ravenpost.multihost;

import io.ravenpost.testkit.NodeProcess;
import io.ravenpost.testkit.TestHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * One Ravenpost node inside a host's namespace, started as an operator would on a machine of its
 * own ({@code java <Hazelcast flags> -cp ... io.ravenpost.Main node}, configured by environment
 * variables only; the testkit's {@link NodeProcess} behind {@code ip netns exec}, which execs, so
 * signals reach the JVM itself). Faults act on the process: SIGKILL, SIGSTOP/SIGCONT.
 */
final class BedNode {
  static final int WS_PORT = 7100;
  static final int TCP_PORT = 7101;
  static final int ADMIN_PORT = 7180;

  final int index;
  final String ns;
  final String address;
  final Map<String, String> env;
  private final List<Path> logs = new ArrayList<>();
  private NodeProcess process;

  BedNode(int index, String ns, String address, Map<String, String> env) {
    this.index = index;
    this.ns = ns;
    this.address = address;
    this.env = new TreeMap<>(env);
  }

  String label() {
    return "h" + index;
  }

  synchronized void start() {
    process = NodeProcess.start(ns + "-" + label(), List.of("ip", "netns", "exec", ns), env);
    logs.add(process.log().toAbsolutePath());
  }

  /** The log of every start of this node, oldest first. */
  synchronized List<Path> logs() {
    return List.copyOf(logs);
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
    return process != null && process.alive();
  }

  synchronized Path log() {
    return process == null ? null : process.log();
  }

  /** The last lines of its log, for failure messages. */
  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log());
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | RuntimeException e) {
      return "(no log: " + e + ")";
    }
  }

  /** SIGKILL, as a crash: no graceful steps; returns once the process is gone. */
  synchronized void kill9() {
    process.signal("KILL");
    ProcessHandle.of(process.pid()).ifPresent(h -> {
      try {
        h.onExit().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        throw new IllegalStateException("node " + label() + " still alive 10 s after SIGKILL", e);
      }
    });
  }

  synchronized void pause() {
    process.signal("STOP");
  }

  synchronized void resume() {
    process.signal("CONT");
  }

  /** SIGTERM (the node's graceful stop), bounded, then SIGKILL. */
  synchronized void stop() {
    if (process != null) {
      process.close();
    }
  }
}
