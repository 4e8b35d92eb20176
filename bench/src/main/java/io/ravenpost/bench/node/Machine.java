package io.ravenpost.bench.node;

import com.hazelcast.instance.BuildInfoProvider;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine and software a result was measured on, so numbers from two runs can be compared. */
public final class Machine {
  private Machine() {
  }

  public static JsonObject describe() {
    return new JsonObject()
        .put("cores", Runtime.getRuntime().availableProcessors())
        .put("memoryBytes", ProcStats.meminfoBytes("MemTotal"))
        .put("cpu", cpuModel())
        .put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
            + System.getProperty("os.arch"))
        .put("openFilesLimit", ProcStats.openFilesLimit());
  }

  /** Java, Vert.x and Hazelcast of this JVM (the started nodes run the same jar and java). */
  public static JsonObject versions() {
    return new JsonObject()
        .put("java", System.getProperty("java.version"))
        .put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"))
        .put("vertx", resource("META-INF/vertx/vertx-version.txt"))
        .put("hazelcast", hazelcast());
  }

  static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static String hazelcast() {
    try {
      return BuildInfoProvider.getBuildInfo().getVersion();
    } catch (RuntimeException | LinkageError e) {
      return "unknown";
    }
  }

  private static String resource(String name) {
    try (InputStream in = Machine.class.getClassLoader().getResourceAsStream(name)) {
      return in == null ? "unknown" : new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
