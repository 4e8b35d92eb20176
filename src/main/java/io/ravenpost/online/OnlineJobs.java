package io.ravenpost.online;

import io.ravenpost.api.online.OnlineChanged;
import io.ravenpost.common.Job;
import io.ravenpost.common.config.SchedulerConfig;
import io.vertx.core.Future;
import java.util.List;

/** The registry's periodic work, for the scheduler. */
public final class OnlineJobs {
  private OnlineJobs() {
  }

  public static List<Job> of(SchedulerConfig intervals, OnlineState online) {
    return List.of(new Job("stale-sessions", intervals.staleSessionsMs(), () -> staleSessions(online)));
  }

  /** Drops registry entries of dead nodes and announces those players offline; answers how many. */
  private static Future<?> staleSessions(OnlineState online) {
    return online.sweepStale().map(gone -> {
      gone.forEach(e -> online.announce(new OnlineChanged(e.uid(), false, e.node(), e.sessionId(),
          System.currentTimeMillis())));
      return gone.size();
    });
  }
}
