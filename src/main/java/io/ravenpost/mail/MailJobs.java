package io.ravenpost.mail;

import io.ravenpost.common.Job;
import io.ravenpost.common.config.SchedulerConfig;
import io.ravenpost.mail.claim.OutboxRelay;
import io.ravenpost.mail.expiry.ExpirySweep;
import io.ravenpost.mail.feed.FeedJobs;
import io.ravenpost.mail.global.GlobalJobs;
import java.util.ArrayList;
import java.util.List;

/**
 * The mail feature's periodic work, run by the scheduler (one node per interval): expiry, purge,
 * the outbox relay's sweep for grants not acknowledged at claim time, mail opening at its
 * {@code startsAt}, the feed's trim, and global mail's jobs.
 */
public final class MailJobs {
  private final MailConfig cfg;
  private final OutboxRelay relay;
  private final ExpirySweep expiry;
  private final GlobalJobs global;
  private final FeedJobs feed;

  MailJobs(MailConfig cfg, OutboxRelay relay, ExpirySweep expiry, GlobalJobs global, FeedJobs feed) {
    this.cfg = cfg;
    this.relay = relay;
    this.expiry = expiry;
    this.global = global;
    this.feed = feed;
  }

  /**
   * Every job of the feature with its interval. Nodes configured not to publish grants
   * ({@code mail.relayEnabled} false) do not sweep the outbox.
   */
  public List<Job> all(SchedulerConfig intervals) {
    List<Job> jobs = new ArrayList<>();
    jobs.add(new Job("global-repair", intervals.globalRepairMs(), global::repair));
    jobs.add(new Job("global-requeue", intervals.globalRequeueMs(), global::requeue));
    jobs.add(new Job("global-resume", intervals.globalResumeMs(), global::resumeOnline));
    jobs.add(new Job("mail-expiry", intervals.mailExpiryMs(), expiry::expire));
    jobs.add(new Job("mail-purge", intervals.mailPurgeMs(), expiry::purge));
    jobs.add(new Job("mail-opening", intervals.mailOpeningMs(), feed::open));
    jobs.add(new Job("mail-feed-trim", intervals.mailFeedTrimMs(), feed::trim));
    if (cfg.relayEnabled()) {
      jobs.add(new Job("mail-outbox-relay", intervals.mailRelayMs(), relay::sweep));
    }
    return jobs;
  }
}
