package io.ravenpost.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What the fuzzed inputs got back, by outcome ({@code ok}, an error code, {@code closed}), and the
 * inputs whose answer broke the contract, so one run reports every kind of failure at once.
 */
final class Tally {
  /** The client error codes of PROTOCOL.md; INTERNAL is a code too, but never the right answer to a bad frame. */
  static final Set<String> CLIENT_CODES = Set.of("BAD_REQUEST", "UNKNOWN_OP", "NOT_AUTHENTICATED", "AUTH_INVALID",
      "AUTH_EXPIRED", "LOGIN_CONFLICT", "NOT_FOUND", "MAIL_EXPIRED", "ALREADY_CLAIMED", "NO_ATTACHMENTS",
      "HAS_UNCLAIMED", "RATE_LIMITED", "TOO_LARGE", "UNAVAILABLE");
  private static final int KEPT = 20;

  private final Map<String, Integer> outcomes = new TreeMap<>();
  private final List<String> failures = new ArrayList<>();
  private int failureCount;
  private int inputs;

  synchronized void input() {
    inputs++;
  }

  synchronized void outcome(String what) {
    outcomes.merge(what, 1, Integer::sum);
  }

  synchronized void fail(String what) {
    failureCount++;
    if (failures.size() < KEPT) {
      failures.add(what);
    }
  }

  synchronized int inputs() {
    return inputs;
  }

  synchronized int failures() {
    return failureCount;
  }

  @Override
  public synchronized String toString() {
    return inputs + " inputs, outcomes " + outcomes + ", " + failureCount + " broke the contract"
        + (failures.isEmpty() ? "" : ", first ones:\n  " + String.join("\n  ", failures));
  }
}
