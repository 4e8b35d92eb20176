package io.ravenpost.multihost;

import io.ravenpost.testkit.Poll;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * What the bed leaves on the machine and how it goes away. Each bed writes a marker file
 * ({@code /run/ravenpost-bed/<id>}: owner JVM, subnet, helper pids) before it creates anything, so
 * whatever a killed run left behind (namespaces with their node JVMs, links, its Redis) is found
 * and removed by the next run, while a bed whose owner still runs is left alone.
 */
final class BedJanitor {
  private static final Path MARKERS = Path.of("/run/ravenpost-bed");
  private static final int ID_LENGTH = BedNetwork.PREFIX.length() + 4;

  private BedJanitor() {
  }

  /**
   * Skips the test, saying exactly what is missing, where the bed cannot run (not root, no network
   * namespaces, no /dev/net/tun...): the rest of the suite still runs there. Here and in CI, where
   * the tests run as root, it runs.
   */
  static void requireTools() {
    Sh.Result ns = Sh.attempt("ip", "netns", "list");
    Sh.Result uid = Sh.attempt("id", "-u");
    String missing = null;
    if (!ns.ok()) {
      missing = "`ip netns` is unavailable (" + ns.output().trim() + ")";
    } else if (!uid.output().trim().equals("0")) {
      missing = "it runs as uid " + uid.output().trim() + ", not root";
    } else if (!new File("/dev/net/tun").exists()) {
      missing = "/dev/net/tun is missing (the latency link is a TAP device)";
    } else if (!Sh.attempt("python3", "-c", "pass").ok()) {
      missing = "python3 is missing (it runs the latency link, multihost/delaylink.py)";
    } else if (!Sh.attempt("redis-server", "--version").ok()) {
      missing = "redis-server is missing (the bed runs a Redis of its own on the bridge)";
    }
    if (missing != null) {
      Assumptions.abort("The multi-host bed needs root, iproute2 (ip netns, veth, bridge, tuntap), "
          + "/dev/net/tun, python3 and redis-server, but " + missing + ". CI runs as root; run the tests as "
          + "root (e.g. sudo ./scripts/test.sh) on a Linux machine with network namespaces.");
    }
  }

  /** Records that this JVM owns bed {@code id}, before anything of it exists. */
  static void claim(String id, String subnet) {
    try {
      Files.createDirectories(MARKERS);
      Files.writeString(MARKERS.resolve(id), "owner=" + ProcessHandle.current().pid() + "\nsubnet=" + subnet + "\n");
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the bed marker in " + MARKERS, e);
    }
  }

  /** Adds a line (a helper's pid) to a bed's marker. */
  static void note(String id, String key, String value) {
    try {
      Files.writeString(MARKERS.resolve(id), key + "=" + value + "\n", StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException("cannot update the bed marker", e);
    }
  }

  /** The subnets of beds that exist now (this JVM's or others'), so two beds never share one. */
  static String claimedSubnets() {
    StringBuilder out = new StringBuilder();
    for (String id : markers()) {
      out.append(read(id)).append('\n');
    }
    return out.toString();
  }

  /** Removes every bed whose owner JVM is gone, and any bed-named namespace or link without a marker. */
  static void cleanStale() {
    Set<String> ids = new LinkedHashSet<>();
    for (String id : markers()) {
      if (!ownerAlive(id)) {
        ids.add(id);
      }
    }
    for (String name : names()) {
      String id = name.substring(0, Math.min(ID_LENGTH, name.length()));
      if (!Files.exists(MARKERS.resolve(id))) {
        ids.add(id);
      }
    }
    ids.forEach(BedJanitor::remove);
  }

  /** Kills the bed's processes and deletes its namespaces, links and marker; each step tolerates "already gone". */
  static void remove(String id) {
    for (String line : read(id).split("\n")) {
      if (line.startsWith("pid=")) {
        killIfHelper(line.substring(4).trim());
      }
    }
    for (String name : names()) {
      if (name.startsWith(id + "-")) {
        killAll(name);
        Sh.attempt("ip", "netns", "del", name);
      }
    }
    for (String name : names()) {
      if (name.startsWith(id)) {
        Sh.attempt("ip", "link", "del", name);
      }
    }
    new File(MARKERS.toFile(), id).delete();
  }

  private static void killAll(String ns) {
    Poll.until("every process of namespace " + ns + " is gone", 15_000, () -> {
      String pids = Sh.attempt("ip", "netns", "pids", ns).output().trim();
      if (pids.isEmpty() || pids.contains("No such file")) {
        return true;
      }
      for (String pid : pids.split("\\s+")) {
        Sh.attempt("kill", "-9", pid);
      }
      return false;
    });
  }

  /** Only a process that is still the bed's redis-server or delay link: a recycled pid is spared. */
  private static void killIfHelper(String pid) {
    try {
      String cmd = Files.readString(Path.of("/proc", pid, "cmdline"), StandardCharsets.UTF_8);
      if (cmd.contains("redis-server") || cmd.contains("delaylink")) {
        Sh.attempt("kill", "-9", pid);
      }
    } catch (IOException e) {
      // already gone
    }
  }

  private static boolean ownerAlive(String id) {
    for (String line : read(id).split("\n")) {
      if (line.startsWith("owner=")) {
        return ProcessHandle.of(Long.parseLong(line.substring(6).trim())).map(ProcessHandle::isAlive).orElse(false);
      }
    }
    return false;
  }

  /** Namespaces and root links whose names start with the bed prefix. */
  private static List<String> names() {
    Set<String> out = new LinkedHashSet<>();
    for (String line : Sh.attempt("ip", "netns", "list").output().split("\n")) {
      String name = line.trim().split("\\s+")[0];
      if (name.startsWith(BedNetwork.PREFIX)) {
        out.add(name);
      }
    }
    for (String line : Sh.attempt("ip", "-o", "link", "show").output().split("\n")) {
      String[] w = line.trim().split(":\\s+");
      if (w.length > 1) {
        String name = w[1].split("@")[0].trim();
        if (name.startsWith(BedNetwork.PREFIX)) {
          out.add(name);
        }
      }
    }
    return List.copyOf(out);
  }

  private static List<String> markers() {
    String[] files = MARKERS.toFile().list();
    return files == null ? List.of() : List.of(files);
  }

  private static String read(String id) {
    try {
      return Files.readString(MARKERS.resolve(id));
    } catch (IOException e) {
      return "";
    }
  }
}
