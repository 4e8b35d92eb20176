package io.ravenpost.bench;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Prints a progress line every couple of seconds while a phase runs, off the event loops. */
public final class Progress implements AutoCloseable {
  private static final long EVERY_MS = 2000;

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-progress");
    t.setDaemon(true);
    return t;
  });

  private Progress(String label, Supplier<String> line) {
    long start = System.nanoTime();
    timer.scheduleAtFixedRate(() -> say(String.format("%s %5.1fs %s", label,
        (System.nanoTime() - start) / 1e9, line.get())), EVERY_MS, EVERY_MS, TimeUnit.MILLISECONDS);
  }

  public static Progress start(String label, Supplier<String> line) {
    return new Progress(label, line);
  }

  public static void say(String line) {
    System.out.println("[bench] " + line);
    System.out.flush();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
