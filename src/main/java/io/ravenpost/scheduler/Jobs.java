package io.ravenpost.scheduler;

import io.ravenpost.common.Conf;
import io.ravenpost.common.NodeContext;
import io.ravenpost.mail.GlobalJobs;
import io.ravenpost.mail.MailJobs;
import io.ravenpost.online.OnlineAddresses;
import io.ravenpost.online.OnlineRegistry;
import io.ravenpost.online.WatchAddresses;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** Every periodic job of the project, with its interval from the {@code scheduler} config section. */
final class Jobs {
  private static final int SWEEP_BATCH = 64;
  private Jobs() {
  }

  static List<Job> all(NodeContext ctx) {
    JsonObject cfg = new JsonObject().put("scheduler", ctx.config().section("scheduler"));
    List<Job> jobs = new ArrayList<>();
    GlobalJobs global = new GlobalJobs(ctx);
    jobs.add(new Job("global-repair", interval(cfg, "globalRepairMs", 1_200_000), global::repair));
    jobs.add(new Job("global-requeue", interval(cfg, "globalRequeueMs", 10_000), global::requeue));
    jobs.add(new Job("global-resume", interval(cfg, "globalResumeMs", 10_000), global::resumeOnline));
    jobs.add(new Job("stale-sessions", interval(cfg, "staleSessionsMs", 30_000), () -> staleSessions(ctx)));
    MailJobs mail = new MailJobs(ctx);
    jobs.add(new Job("mail-expiry", interval(cfg, "mailExpiryMs", 60_000), mail::expire));
    jobs.add(new Job("mail-purge", interval(cfg, "mailPurgeMs", 3_600_000), mail::purge));
    if (mail.relayEnabled()) {
      jobs.add(new Job("mail-outbox-relay", interval(cfg, "mailRelayMs", 5000), mail::relay));
    }
    jobs.add(new Job("stale-watches", interval(cfg, "staleWatchesMs", 30_000), () -> staleWatches(ctx)));
    return jobs;
  }

  private static long interval(JsonObject cfg, String key, long def) {
    if (cfg.getJsonObject("scheduler").getValue(key) == null) {
      return def;
    }
    return Conf.longIn(cfg, "scheduler." + key, 100, 24L * 3600 * 1000);
  }

  /** Asks every node to check the sessions behind its held watches and drop those gone. */
  private static Future<?> staleWatches(NodeContext ctx) {
    ctx.vertx().eventBus().publish(WatchAddresses.SWEEP, new JsonObject());
    return Future.succeededFuture("sweep published");
  }

  /** Drops registry entries of dead nodes and announces those players offline. */
  private static Future<?> staleSessions(NodeContext ctx) {
    OnlineRegistry registry = new OnlineRegistry(ctx);
    Future<Integer> chain = Future.succeededFuture(0);
    for (int from = 0; from < registry.buckets(); from += SWEEP_BATCH) {
      int start = from;
      chain = chain.compose(n -> sweepBatch(ctx, registry, start).map(gone -> n + gone));
    }
    return chain;
  }

  /** A batch of buckets at once: pipelined on the Redis connection, bounded so a sweep never floods it. */
  private static Future<Integer> sweepBatch(NodeContext ctx, OnlineRegistry registry, int start) {
    List<Future<List<Long>>> sweeps = new ArrayList<>();
    for (int b = start; b < Math.min(start + SWEEP_BATCH, registry.buckets()); b++) {
      sweeps.add(registry.sweepBucket(b));
    }
    return Future.all(sweeps).map(cf -> {
      int gone = 0;
      for (int i = 0; i < cf.size(); i++) {
        for (Long uid : cf.<List<Long>>resultAt(i)) {
          ctx.vertx().eventBus().publish(OnlineAddresses.CHANGED, new JsonObject().put("uid", uid)
              .put("online", false).put("at", System.currentTimeMillis()));
          gone++;
        }
      }
      return gone;
    });
  }
}
