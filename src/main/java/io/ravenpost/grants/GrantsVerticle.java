package io.ravenpost.grants;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/**
 * The grant work of a mail node. It never contacts the receiver to start, so a receiver that is down
 * neither delays a node's start nor makes it unready; its grants wait in the outbox.
 */
final class GrantsVerticle extends VerticleBase {
  private final WebhookDelivery webhook;
  private final GrantOutbox outbox;
  private final GrantMetrics metrics;
  private final long gaugeMs;
  private long gaugeTimer;

  /** @param webhook null unless grants go by webhook */
  GrantsVerticle(WebhookDelivery webhook, GrantOutbox outbox, GrantMetrics metrics, long gaugeMs) {
    this.webhook = webhook;
    this.outbox = outbox;
    this.metrics = metrics;
    this.gaugeMs = gaugeMs;
  }

  @Override
  public Future<?> start() {
    metrics.registerOldestGauge();
    gaugeTimer = vertx.setPeriodic(0, gaugeMs, id -> outbox.oldestOpen().onSuccess(metrics::oldestUnacked));
    if (webhook != null) {
      webhook.start();
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(gaugeTimer);
    if (webhook != null) {
      webhook.stop();
    }
    return Future.succeededFuture();
  }
}
