package io.ravenpost.bench.node;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A JVM's CPU split by kind of thread, from {@code /proc/<pid>/task/<tid>/stat}: the event loops
 * (where requests run), the JIT compilers, the garbage collector, and the rest. A node's CPU per
 * operation on a starved machine is partly its JIT still compiling; this says how much.
 */
public final class ThreadCpu {
  public static final String EVENT_LOOPS = "event loops";
  public static final String JIT = "JIT compiler";
  public static final String GC = "GC";
  public static final String OTHER = "other threads";
  private static final long MS_PER_TICK = 10;

  private ThreadCpu() {
  }

  /** CPU ms used so far by each kind of thread of {@code pid} (ended threads not counted); empty if unknown. */
  public static Map<String, Long> of(long pid) {
    Map<String, Long> out = new LinkedHashMap<>();
    if (pid <= 0) {
      return out;
    }
    for (String k : new String[] {EVENT_LOOPS, JIT, GC, OTHER}) {
      out.put(k, 0L);
    }
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      tasks.forEach(t -> {
        try {
          String stat = Files.readString(t.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.merge(kind(name), (Long.parseLong(f[11]) + Long.parseLong(f[12])) * MS_PER_TICK, Long::sum);
        } catch (IOException | RuntimeException e) {
          // The thread ended meanwhile.
        }
      });
    } catch (IOException e) {
      return new LinkedHashMap<>();
    }
    return out;
  }

  /** {@code after - before} per kind. */
  public static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new LinkedHashMap<>();
    after.forEach((k, v) -> out.put(k, v - before.getOrDefault(k, 0L)));
    return out;
  }

  static String kind(String thread) {
    if (thread.startsWith("vert.x-eventloo")) {
      return EVENT_LOOPS;
    }
    if (thread.contains("CompilerThre")) {
      return JIT;
    }
    if (thread.startsWith("GC Thread") || thread.startsWith("G1 ")) {
      return GC;
    }
    return OTHER;
  }
}
