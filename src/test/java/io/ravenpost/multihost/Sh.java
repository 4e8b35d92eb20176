package io.ravenpost.multihost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short system command (ip, kill) with a bound, so a wedged tool cannot hang the bed. */
final class Sh {
  private static final long TIMEOUT_S = 20;

  record Result(int exit, String output) {
    boolean ok() {
      return exit == 0;
    }
  }

  private Sh() {
  }

  /** Runs it and fails with its output when it does not exit 0. */
  static String run(String... cmd) {
    Result r = attempt(cmd);
    if (!r.ok()) {
      throw new IllegalStateException(String.join(" ", cmd) + " exited " + r.exit() + ": " + r.output().trim());
    }
    return r.output();
  }

  /** Runs it and reports the outcome: for clean-up steps, where "already gone" is fine. */
  static Result attempt(String... cmd) {
    Path out = null;
    try {
      // Output to a file, not a pipe: reading a pipe would block past the bound on a wedged tool.
      out = Files.createTempFile("rp-sh", ".out");
      Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      p.getOutputStream().close();
      if (!p.waitFor(TIMEOUT_S, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timed out after " + TIMEOUT_S + " s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-2, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-3, "interrupted");
    } finally {
      if (out != null) {
        out.toFile().delete();
      }
    }
  }
}
