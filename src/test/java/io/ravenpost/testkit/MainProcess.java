package io.ravenpost.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code io.ravenpost.Main ARGS} in a JVM of its own, configured only by environment, as an operator
 * runs {@code ./run.sh token|operator|config|node}: its exit code and everything it printed.
 */
public final class MainProcess {
  private MainProcess() {
  }

  /** Exit code and stdout and stderr together. */
  public record Result(int code, String out) {
  }

  public static Result run(Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(NodeProcess.HAZELCAST_FLAGS);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.ravenpost.Main"));
    cmd.addAll(List.of(args));
    try {
      // A file, not a pipe: a command that wrongly keeps running must not block the read.
      Path log = Files.createTempFile("ravenpost-cli", ".log");
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      boolean exited = p.waitFor(90, TimeUnit.SECONDS);
      if (!exited) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String out = Files.readString(log, StandardCharsets.UTF_8);
      Files.delete(log);
      if (!exited) {
        throw new AssertionError("ravenpost " + String.join(" ", args) + " did not exit; it printed: " + out);
      }
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start ravenpost " + String.join(" ", args) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
