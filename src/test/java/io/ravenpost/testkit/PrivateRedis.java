package io.ravenpost.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.TimeUnit;

/**
 * A redis-server of one test's own (no persistence), so the test can kill it and start it again
 * empty without touching the Redis every other test shares. Needs {@code redis-server} on this
 * machine (the test scripts start one from it); a test is skipped, saying so, where it is missing.
 */
public final class PrivateRedis implements AutoCloseable {
  private final String binary;
  private final int port;
  private Process process;

  public PrivateRedis() {
    binary = find();
    assumeTrue(binary != null, "redis-server is not installed here: this Redis-outage test needs it");
    port = freePort();
    start();
  }

  public String uri() {
    return "redis://127.0.0.1:" + port;
  }

  /** Starts it (again) on the same port, empty. */
  public void start() {
    try {
      process = new ProcessBuilder(binary, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
          "--appendonly", "no", "--protected-mode", "no")
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("could not start " + binary, e);
    }
    Poll.until("redis-server on port " + port + " accepts connections", 10_000, this::accepting);
  }

  /** Kills it at once, as a crash would (SIGKILL): every connection to it breaks. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Poll.until("redis-server on port " + port + " gone", 10_000, () -> !accepting());
  }

  @Override
  public void close() {
    if (process != null && process.isAlive()) {
      kill();
    }
  }

  private boolean accepting() {
    try (Socket s = new Socket("127.0.0.1", port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String find() {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin:/usr/local/bin").split(":")) {
      File f = new File(dir, "redis-server");
      if (f.canExecute()) {
        return f.getPath();
      }
    }
    return null;
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
