package io.ravenpost.watch;

import io.ravenpost.api.watch.WatchAddresses;
import io.ravenpost.common.Bus;
import io.ravenpost.common.Job;
import io.ravenpost.common.config.SchedulerConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;

/** The watches' periodic work, for the scheduler. */
public final class WatchJobs {
  private WatchJobs() {
  }

  /**
   * Asks every node to check the sessions behind its held watches and drop those gone; each node
   * logs what it dropped, so the run itself reports nothing.
   */
  public static List<Job> of(SchedulerConfig intervals, Vertx vertx) {
    return List.of(new Job("stale-watches", intervals.staleWatchesMs(), () -> {
      Bus.publish(vertx, WatchAddresses.SWEEP, null);
      return Future.succeededFuture();
    }));
  }
}
