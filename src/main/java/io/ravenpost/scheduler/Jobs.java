package io.ravenpost.scheduler;

import io.ravenpost.api.Addresses;
import io.ravenpost.api.OnlineChanged;
import io.ravenpost.common.config.SchedulerConfig;
import io.ravenpost.mail.MailJobs;
import io.ravenpost.online.Entry;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Every periodic job of the project, with its interval from the {@code scheduler} config section. */
final class Jobs {
  private static final int SWEEP_BATCH = 64;

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
    vertx.eventBus().publish(Addresses.WATCH_SWEEP, new JsonObject());
    return Future.succeededFuture("sweep published");
  }

  /** Drops registry entries of dead nodes and announces those players offline. */
  private static Future<?> staleSessions(OnlineState online) {
    Future<Integer> chain = Future.succeededFuture(0);
    for (int from = 0; from < online.buckets(); from += SWEEP_BATCH) {
      int start = from;
      chain = chain.compose(n -> sweepBatch(online, start).map(gone -> n + gone));
    }
    return chain;
  }

  /** A batch of buckets at once: pipelined on the Redis connection, bounded so a sweep never floods it. */
  private static Future<Integer> sweepBatch(OnlineState online, int start) {
    List<Future<List<Entry>>> sweeps = new ArrayList<>();
    for (int b = start; b < Math.min(start + SWEEP_BATCH, online.buckets()); b++) {
      sweeps.add(online.sweepBucket(b));
    }
    return Future.all(sweeps).map(cf -> {
      int gone = 0;
      for (int i = 0; i < cf.size(); i++) {
        for (Entry e : cf.<List<Entry>>resultAt(i)) {
          online.announce(new OnlineChanged(e.uid(), false, e.node(), e.sessionId(), System.currentTimeMillis()));
          gone++;
        }
      }
      return gone;
    });
  }
}
