package io.ravenpost.mail.global;

import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.api.mail.Resumed;
import io.ravenpost.common.Bus;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.mail.global.create.GlobalRepair;
import io.ravenpost.mail.global.distribute.GlobalQueue;
import io.ravenpost.mail.global.store.GlobalMetrics;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

/**
 * Global mail's periodic work, run by the scheduler (one node per interval): {@code global-repair}
 * (the global-mail design's cache repair) and {@code global-requeue} (uids a dead worker left in flight go back
 * to the login queue once their deadline passed) and {@code global-resume} ({@code online} sends
 * a dead node left unfinished are finished by a node with the mail role).
 */
public final class GlobalJobs {
  private static final int REQUEUE_BATCH = 1000;
  /** A resumed walk stores up to a whole server's online players: give it time. */
  private static final long RESUME_TIMEOUT_MS = 300_000;

  private final NodeInfo node;
  private final GlobalRepair repair;
  private final GlobalQueue queue;
  private final GlobalMetrics metrics;

  GlobalJobs(NodeInfo node, GlobalRepair repair, GlobalQueue queue, GlobalMetrics metrics) {
    this.node = node;
    this.repair = repair;
    this.queue = queue;
    this.metrics = metrics;
  }

  public Future<?> repair() {
    return repair.run();
  }

  /** Asks one mail node to finish orphaned online sends; nothing to do where no node has the mail role. */
  public Future<?> resumeOnline() {
    return Bus.request(node.vertx(), MailAddresses.GLOBAL_RESUME_ONLINE, null,
            new DeliveryOptions().setSendTimeout(RESUME_TIMEOUT_MS))
        .map(Resumed::resumed)
        .recover(t -> t instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS
            ? Future.succeededFuture(0) : Future.failedFuture(t));
  }

  public Future<?> requeue() {
    return queue.requeueExpired(REQUEUE_BATCH).onSuccess(metrics::requeued);
  }
}
