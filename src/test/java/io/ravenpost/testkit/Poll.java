package io.ravenpost.testkit;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for a condition with a bound, checking often; fails with a message when it never holds. */
public final class Poll {
  private Poll() {
  }

  public static void until(String what, long timeoutMs, BooleanSupplier condition) {
    long end = System.currentTimeMillis() + timeoutMs;
    while (!condition.getAsBoolean()) {
      if (System.currentTimeMillis() > end) {
        throw new AssertionError("within " + timeoutMs + " ms: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
  }

  /** Waits until {@code value} answers something other than null, and answers it. */
  public static <T> T until(String what, long timeoutMs, Supplier<T> value) {
    AtomicReference<T> got = new AtomicReference<>();
    until(what, timeoutMs, () -> {
      got.set(value.get());
      return got.get() != null;
    });
    return got.get();
  }
}
