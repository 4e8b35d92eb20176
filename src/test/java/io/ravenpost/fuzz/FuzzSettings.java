package io.ravenpost.fuzz;

/**
 * The live fuzz tests' seed and size, fixed so CI runs the same inputs every time:
 * {@code -Dfuzz.seed=N} picks other inputs, {@code -Dfuzz.scale=F} multiplies every live count
 * (e.g. 10 for a long local run). The codec properties carry their seed and tries in their
 * {@code @Property}.
 */
final class FuzzSettings {
  static final long SEED = Long.getLong("fuzz.seed", 20261205L);
  private static final double SCALE = Double.parseDouble(System.getProperty("fuzz.scale", "1"));

  private FuzzSettings() {
  }

  static int count(int base) {
    return Math.max(1, (int) Math.round(base * SCALE));
  }
}
