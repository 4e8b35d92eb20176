package io.ravenpost.multihost;

import io.ravenpost.testkit.Poll;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Added latency without netem (this kernel has none): the host's interface is a TAP device and
 * {@code multihost/delaylink.py} copies its frames to and from a TAP on the bridge, holding each
 * for the configured delay. The script reads "OUT_MS IN_MS" lines on stdin and exits on EOF, so
 * it dies with this JVM even when no clean-up runs.
 */
final class DelayLink implements AutoCloseable {
  private final Process process;
  private final OutputStream control;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private DelayLink(Process process) {
    this.process = process;
    this.control = process.getOutputStream();
    Thread reader = new Thread(() -> read(process.getInputStream()), "delaylink-out");
    reader.setDaemon(true);
    reader.start();
  }

  /** Links {@code nsTap} inside {@code netns} with {@code rootTap}; returns once both are attached. */
  static DelayLink start(String netns, String nsTap, String rootTap) {
    try {
      Path script = Files.createTempFile("delaylink", ".py");
      try (InputStream in = DelayLink.class.getResourceAsStream("/multihost/delaylink.py")) {
        if (in == null) {
          throw new IllegalStateException("multihost/delaylink.py is not on the test classpath");
        }
        Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
      }
      script.toFile().deleteOnExit();
      Process p = new ProcessBuilder("python3", script.toString(), netns, nsTap, rootTap)
          .redirectErrorStream(true).start();
      DelayLink link = new DelayLink(p);
      Poll.until("delaylink.py attached both TAP devices (output: " + link.lines + ")", 10_000,
          () -> link.lines.contains("ready") || !p.isAlive());
      if (!p.isAlive()) {
        throw new IllegalStateException("delaylink.py exited: " + link.lines);
      }
      return link;
    } catch (IOException e) {
      throw new IllegalStateException("could not start delaylink.py (python3 needed)", e);
    }
  }

  /** Delays frames leaving the host by {@code outMs} and frames reaching it by {@code inMs}. */
  synchronized void set(int outMs, int inMs) {
    String expect = "delay " + outMs + " " + inMs;
    lines.remove(expect);
    try {
      control.write((outMs + " " + inMs + "\n").getBytes(StandardCharsets.US_ASCII));
      control.flush();
    } catch (IOException e) {
      throw new IllegalStateException("delaylink.py is gone: " + lines, e);
    }
    Poll.until("delaylink.py applied " + expect, 5_000, () -> lines.contains(expect));
  }

  long pid() {
    return process.pid();
  }

  private void read(InputStream in) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        lines.add(line.trim());
      }
    } catch (IOException e) {
      lines.add("read failed: " + e);
    }
  }

  @Override
  public void close() {
    try {
      control.close();
      if (!process.waitFor(3, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(3, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
