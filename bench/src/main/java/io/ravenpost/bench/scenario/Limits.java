package io.ravenpost.bench.scenario;

import io.ravenpost.bench.Report;
import io.ravenpost.bench.node.ProcStats;

/**
 * How many sockets a scenario may hold: each session is one socket in the load generator and one
 * in the node, both limited by the open-files limit (child JVMs inherit this process's).
 */
final class Limits {
  /** File descriptors a JVM keeps besides client sockets (jars, Hazelcast, pools, logs). */
  static final long FD_MARGIN = 1000;

  private Limits() {
  }

  /** {@code requested}, or less when the open-files limit would not allow it (noted in the report). */
  static int sessions(Report report, int requested) {
    long limit = ProcStats.openFilesLimit();
    if (limit <= 0 || requested <= limit - FD_MARGIN) {
      return requested;
    }
    int n = (int) Math.max(1, limit - FD_MARGIN);
    report.note(String.format("asked for %,d sessions, ran %,d: the open-files limit is %,d (run.sh raises the soft"
        + " limit to the hard one; raise the hard limit to go further) and each session is one socket in the load"
        + " generator and one in the node", requested, n, limit));
    return n;
  }
}
