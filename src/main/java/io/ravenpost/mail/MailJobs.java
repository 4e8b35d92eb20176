package io.ravenpost.mail;

import io.ravenpost.common.NodeContext;
import io.vertx.core.Future;

/**
 * The mail role's periodic work, run by the scheduler (one node per interval): expiry, purge,
 * and the outbox relay's sweep for grants that were not acknowledged at claim time.
 */
public final class MailJobs {
  private final MailConfig cfg;
  private final OutboxRelay relay;
  private final ExpirySweep expiry;

  public MailJobs(NodeContext ctx) {
    this.cfg = MailConfig.from(ctx.config().section("mail"));
    MailMetrics metrics = new MailMetrics(ctx.metrics());
    MailKeys keys = new MailKeys(ctx);
    Mailbox mailbox = new Mailbox(ctx.db());
    this.relay = new OutboxRelay(ctx, cfg, metrics);
    this.expiry = new ExpirySweep(ctx, cfg, relay, new MailNotifier(ctx, cfg, keys, mailbox, metrics), metrics);
  }

  /** False on nodes configured not to publish grants ({@code mail.relayEnabled}); they skip the sweep. */
  public boolean relayEnabled() {
    return cfg.relayEnabled();
  }

  public Future<?> expire() {
    return expiry.expire();
  }

  public Future<?> purge() {
    return expiry.purge();
  }

  public Future<?> relay() {
    return relay.sweep();
  }
}
