package io.ravenpost.grants;

import io.ravenpost.common.Job;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.http.AdminRoutes;
import io.vertx.core.Deployable;
import io.vertx.core.Future;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Grants to game servers, wired once per node: the pull and dead-letter routes (admin role), the
 * webhook sender and the oldest-unacknowledged gauge (mail role), and the dead-letter sweep
 * (scheduler role). The event-bus relay stays with the mail role's outbox.
 */
public final class Grants {
  /** The dead-letter sweep, as {@code raven_scheduler_runs_total{job}} and {@code raven.scheduler.run} know it. */
  public static final String DEAD_LETTER_JOB = "grants-dead-letter";
  private static final Logger LOG = LoggerFactory.getLogger(Grants.class);
  private static final int SWEEP_BATCH = 1000;

  private final NodeInfo node;
  private final GrantsConfig cfg;
  private final GrantOutbox outbox;
  private final GrantMetrics metrics;
  private final GrantWake wake;

  public Grants(NodeInfo node, Stores stores, GrantsConfig cfg) {
    this.node = node;
    this.cfg = cfg;
    this.outbox = new GrantOutbox(stores.db());
    this.metrics = new GrantMetrics(node.metrics());
    this.wake = new GrantWake(node.vertx());
  }

  public AdminRoutes routes() {
    return new GrantRoutes(outbox, wake, metrics, cfg.batch());
  }

  public List<Job> jobs() {
    return List.of(new Job(DEAD_LETTER_JOB, cfg.sweepMs(), this::deadLetter));
  }

  /** What runs on each mail node: the webhook sender (when chosen) and the gauge of the oldest open grant. */
  public Deployable verticle() {
    WebhookDelivery webhook = cfg.delivery() == GrantsConfig.Delivery.WEBHOOK
        ? new WebhookDelivery(node.vertx(), cfg, outbox, wake, metrics) : null;
    return new GrantsVerticle(webhook, outbox, metrics, cfg.sweepMs());
  }

  private Future<Long> deadLetter() {
    return outbox.deadLetter(System.currentTimeMillis() - cfg.retentionMs(), SWEEP_BATCH).onSuccess(n -> {
      if (n > 0) {
        metrics.deadLettered(n);
        LOG.warn("{} grants were not acknowledged within grants.retentionDays and are dead-lettered: "
            + "GET /admin/grants/dead lists them, POST /admin/grants/<grantId>/resend offers one again", n);
      }
    });
  }
}
