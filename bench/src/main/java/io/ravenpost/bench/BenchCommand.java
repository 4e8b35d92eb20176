package io.ravenpost.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code ./run.sh bench ...} ({@code java -cp target/ravenpost.jar:bench/target/ravenpost-bench.jar
 * io.ravenpost.bench.BenchCommand ...}): parses the command line and runs the benchmark.
 */
public final class BenchCommand {
  private BenchCommand() {
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Returns the process exit code: 0 when every scenario ran (or was skipped for a missing feature). */
  public static int run(String[] args) {
    BenchOptions options;
    try {
      if (List.of(args).contains("-h") || List.of(args).contains("--help")) {
        System.out.println(BenchOptions.USAGE);
        return 0;
      }
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      return 2;
    }
    try {
      List<Path> files = Bench.run(options);
      System.out.println("[bench] results: " + files);
      return 0;
    } catch (RuntimeException e) {
      System.err.println("bench: " + e.getMessage());
      return 1;
    }
  }
}
