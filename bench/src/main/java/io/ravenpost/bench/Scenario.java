package io.ravenpost.bench;

/** One benchmark scenario: measures the cluster and its own baseline in the same run. */
public interface Scenario {
  String name();

  /** Runs the scenario; a scenario whose feature is not there returns a skipped report. */
  Report run(BenchRun run);
}
