package io.ravenpost.mail;

import io.ravenpost.common.config.MailConfig;
import io.ravenpost.mail.claim.OutboxRelay;
import io.ravenpost.mail.expiry.ExpirySweep;
import io.ravenpost.mail.global.GlobalJobs;
import io.vertx.core.Future;

/**
 * The mail feature's periodic work, run by the scheduler (one node per interval): expiry, purge,
 * the outbox relay's sweep for grants not acknowledged at claim time, and global mail's jobs.
 */
public final class MailJobs {
  private final MailConfig cfg;
  private final OutboxRelay relay;
  private final ExpirySweep expiry;
  private final GlobalJobs global;

  MailJobs(MailConfig cfg, OutboxRelay relay, ExpirySweep expiry, GlobalJobs global) {
    this.cfg = cfg;
    this.relay = relay;
    this.expiry = expiry;
    this.global = global;
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

  public GlobalJobs global() {
    return global;
  }
}
