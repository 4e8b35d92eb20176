package io.ravenpost.bench.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Memory of a JVM as the operating system and the JVM see it: RSS from {@code /proc/<pid>/status},
 * a full GC and the used heap through {@code jcmd}. Linux only, like the benchmark.
 */
public final class ProcStats {
  private static final Pattern HEAP_USED = Pattern.compile("total (\\d+)K, used (\\d+)K");
  private static final Pattern HISTO_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");
  private static final Pattern SS_PID = Pattern.compile("pid=(\\d+)");
  private static final long TOOL_TIMEOUT_S = 60;
  private static final long MS_PER_TICK = 10;

  private ProcStats() {
  }

  /** Resident set size in bytes, or -1 when the process is unknown. */
  static long rssBytes(long pid) {
    return bytes(statusKb(Path.of("/proc/" + pid + "/status"), "VmRSS"));
  }

  static long meminfoBytes(String field) {
    return bytes(statusKb(Path.of("/proc/meminfo"), field));
  }

  private static long bytes(long kb) {
    return kb < 0 ? -1 : kb * 1024;
  }

  /** Soft limit on open files of this process (child processes inherit it). */
  public static long openFilesLimit() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (l.startsWith("Max open files")) {
          String[] p = l.substring("Max open files".length()).trim().split("\\s+");
          return p[0].equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(p[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  /**
   * CPU time (user + system) the process has used so far, in milliseconds, from
   * {@code /proc/<pid>/stat} (clock ticks of 10 ms, the Linux default); -1 when unknown.
   */
  static long cpuMillis(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // After "pid (comm) ", field 3 (state) is f[0]; utime and stime are fields 14 and 15.
      return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Runs a full GC in that JVM ({@code jcmd <pid> GC.run}); false when jcmd is unavailable. */
  static boolean gc(long pid) {
    return run(List.of("jcmd", Long.toString(pid), "GC.run")) != null;
  }

  /** Used heap in bytes from {@code jcmd <pid> GC.heap_info}, or -1. */
  static long heapUsedBytes(long pid) {
    String out = run(List.of("jcmd", Long.toString(pid), "GC.heap_info"));
    if (out == null) {
      return -1;
    }
    Matcher m = HEAP_USED.matcher(out);
    return m.find() ? Long.parseLong(m.group(2)) * 1024 : -1;
  }

  /**
   * Live objects by class ({@code jcmd <pid> GC.class_histogram}, which collects first):
   * class name to {instances, bytes}; empty when jcmd is unavailable.
   */
  public static Map<String, long[]> classHistogram(long pid) {
    Map<String, long[]> out = new HashMap<>();
    String text = pid > 0 ? run(List.of("jcmd", Long.toString(pid), "GC.class_histogram")) : null;
    if (text == null) {
      return out;
    }
    for (String line : text.split("\n")) {
      Matcher m = HISTO_LINE.matcher(line);
      if (m.find()) {
        out.put(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
      }
    }
    return out;
  }

  /** The process listening on a local TCP port ({@code ss -ltnp}), for nodes given with --target; -1 if unknown. */
  static long pidListeningOn(int port) {
    String out = run(List.of("ss", "-Hltnp", "sport = :" + port));
    if (out == null) {
      return -1;
    }
    Matcher m = SS_PID.matcher(out);
    return m.find() ? Long.parseLong(m.group(1)) : -1;
  }

  /** Runs a short external tool, returns its output, or null when it fails or is missing. */
  public static String run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(new ArrayList<>(cmd)).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(TOOL_TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static long statusKb(Path file, String field) {
    try {
      for (String l : Files.readAllLines(file)) {
        if (l.startsWith(field + ":")) {
          return Long.parseLong(l.substring(field.length() + 1).trim().split("\\s+")[0]);
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
