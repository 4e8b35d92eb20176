package io.ravenpost.mail;

import io.ravenpost.common.NodeContext;
import io.vertx.core.Future;

/**
 * Global mail's periodic work, run by the scheduler (one node per interval): {@code global-repair}
 * (seed 000's cache repair) and {@code global-requeue} (uids a dead worker left in flight go back
 * to the login queue once their deadline passed).
 */
public final class GlobalJobs {
  private static final int REQUEUE_BATCH = 1000;

  private final GlobalRepair repair;
  private final GlobalQueue queue;
  private final GlobalMetrics metrics;

  public GlobalJobs(NodeContext ctx) {
    GlobalConfig cfg = GlobalConfig.from(ctx.config().section("global"));
    MailConfig mailCfg = MailConfig.from(ctx.config().section("mail"));
    MailKeys mailKeys = new MailKeys(ctx);
    GlobalKeys keys = new GlobalKeys(ctx);
    this.metrics = new GlobalMetrics(ctx.metrics());
    GlobalCache cache = new GlobalCache(ctx, keys, metrics);
    MailNotifier notifier = new MailNotifier(ctx, mailCfg, mailKeys, new Mailbox(ctx.db()),
        new MailMetrics(ctx.metrics()));
    this.repair = new GlobalRepair(ctx, cfg, keys, cache, new GlobalStore(ctx, cfg, cache, notifier, metrics));
    this.queue = new GlobalQueue(ctx, keys);
  }

  public Future<?> repair() {
    return repair.run();
  }

  public Future<?> requeue() {
    return queue.requeueExpired(REQUEUE_BATCH).onSuccess(metrics::requeued);
  }
}
