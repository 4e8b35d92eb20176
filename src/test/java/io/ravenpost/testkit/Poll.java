package io.ravenpost.testkit;

import java.util.function.BooleanSupplier;

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
}
