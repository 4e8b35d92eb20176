package io.ravenpost.scheduler;

import io.ravenpost.api.watch.WatchAddresses;
import io.ravenpost.common.Bus;
import io.ravenpost.api.online.OnlineChanged;
import io.ravenpost.common.config.SchedulerConfig;
import io.ravenpost.mail.MailJobs;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** Every periodic job of the project, with its interval from the {@code scheduler} config section. */
final class Jobs {
  private Jobs() {
  }

  static List<Job> all(Vertx vertx, SchedulerConfig cfg, OnlineState online, MailJobs mail) {
    List<Job> jobs = new ArrayList<>();
    jobs.add(new Job("global-repair", cfg.globalRepairMs(), mail.global()::repair));
    jobs.add(new Job("global-requeue", cfg.globalRequeueMs(), mail.global()::requeue));
    jobs.add(new Job("global-resume", cfg.globalResumeMs(), mail.global()::resumeOnline));
    jobs.add(new Job("stale-sessions", cfg.staleSessionsMs(), () -> staleSessions(online)));
    jobs.add(new Job("mail-expiry", cfg.mailExpiryMs(), mail::expire));
    jobs.add(new Job("mail-purge", cfg.mailPurgeMs(), mail::purge));
    if (mail.relayEnabled()) {
      jobs.add(new Job("mail-outbox-relay", cfg.mailRelayMs(), mail::relay));
    }
    jobs.add(new Job("stale-watches", cfg.staleWatchesMs(), () -> staleWatches(vertx)));
    return jobs;
  }

  /** Asks every node to check the sessions behind its held watches and drop those gone. */
  private static Future<?> staleWatches(Vertx vertx) {
    Bus.publish(vertx, WatchAddresses.SWEEP, null);
    return Future.succeededFuture("sweep published");
  }

  /** Drops registry entries of dead nodes and announces those players offline. */
  private static Future<?> staleSessions(OnlineState online) {
    return online.sweepStale().map(gone -> {
      gone.forEach(e -> online.announce(new OnlineChanged(e.uid(), false, e.node(), e.sessionId(),
          System.currentTimeMillis())));
      return gone.size();
    });
  }
}
