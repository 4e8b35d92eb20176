package io.ravenpost.mail;

import io.ravenpost.common.NodeContext;
import io.ravenpost.common.config.MailConfig;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.QueueDepth;
import io.ravenpost.mail.box.MailKeys;
import io.ravenpost.mail.box.MailMetrics;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.box.Mailbox;
import io.ravenpost.mail.box.UnreadCache;
import io.ravenpost.mail.box.Users;
import io.ravenpost.mail.claim.ClaimService;
import io.ravenpost.mail.claim.OutboxRelay;
import io.ravenpost.mail.expiry.ExpirySweep;
import io.ravenpost.mail.global.GlobalMailRole;
import io.ravenpost.mail.global.GlobalRoutes;
import io.ravenpost.mail.send.Idempotency;
import io.ravenpost.mail.send.MailSender;
import io.ravenpost.mail.send.Capacity;
import io.ravenpost.mail.send.PersonalDelivery;
import io.ravenpost.mail.send.RateLimiter;
import io.ravenpost.mail.send.SendRequest;
import io.ravenpost.mail.send.TargetHandler;
import io.ravenpost.online.MessageRouter;
import io.ravenpost.online.OnlineState;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place the mail feature is wired: personal mailboxes, sending, claims and the outbox,
 * expiry, and global mail, built once per node and shared by the mail verticle, the mail jobs and
 * the global jobs the scheduler runs, and the admin routes.
 */
public final class MailModule {
  private final NodeContext ctx;
  private final MailConfig cfg;
  private final MailMetrics metrics;
  private final Mailbox mailbox;
  private final Users users;
  private final UnreadCache unread;
  private final MailNotifier notifier;
  private final OutboxRelay relay;
  private final GlobalMailRole global;
  private final MailSender sender;
  private final ClaimService claims;
  private final MailJobs jobs;

  public MailModule(NodeContext ctx, OnlineState online, MessageRouter router) {
    this.ctx = ctx;
    this.cfg = ctx.config().mail();
    this.metrics = new MailMetrics(ctx.metrics());
    MailKeys keys = new MailKeys(ctx);
    this.mailbox = new Mailbox(ctx.db());
    this.users = new Users(ctx.vertx(), ctx.db());
    this.unread = new UnreadCache(ctx, keys, mailbox);
    this.notifier = new MailNotifier(ctx, cfg, keys, mailbox, metrics, online, router, unread);
    this.relay = new OutboxRelay(ctx, cfg, metrics);
    Capacity capacity = new Capacity(cfg, metrics);
    Idempotency idempotency = new Idempotency(ctx, keys);
    PersonalDelivery personal = new PersonalDelivery(ctx, cfg, mailbox, idempotency, notifier, metrics, capacity);
    this.global = new GlobalMailRole(ctx, keys, mailbox, notifier, capacity::enforce, online, unread);
    Map<String, TargetHandler> targets = new HashMap<>(global.targets());
    targets.put(SendRequest.USERS, personal);
    this.sender = new MailSender(cfg, targets, users, new RateLimiter(ctx, keys, cfg), idempotency);
    this.claims = new ClaimService(ctx.db(), mailbox, relay, metrics);
    this.jobs = new MailJobs(cfg, relay, new ExpirySweep(ctx, cfg, relay, notifier, metrics), global.jobs());
  }

  public MailJobs jobs() {
    return jobs;
  }

  /** The feature's routes on the admin router. */
  public List<AdminRoutes> routes() {
    return List.of(new MailRoutes(), new GlobalRoutes());
  }

  /** The feature's queues as {@code GET /admin/stats} lists them (cluster-wide; any node can read them). */
  public List<QueueDepth> queues() {
    return List.of(
        QueueDepth.of("globalQueued", global.queue()::queued),
        QueueDepth.of("globalInFlight", global.queue()::inFlight),
        QueueDepth.of("grantsUnacknowledged", () -> OutboxRelay.backlog(ctx.db())));
  }

  MailConfig config() {
    return cfg;
  }

  MailMetrics metrics() {
    return metrics;
  }

  Mailbox mailbox() {
    return mailbox;
  }

  GlobalMailRole global() {
    return global;
  }

  MailSender sender() {
    return sender;
  }

  UnreadCache unread() {
    return unread;
  }

  MailClientOps clientOps() {
    return new MailClientOps(mailbox, unread, claims, sender, notifier);
  }

  MailSessionOps sessionOps() {
    return new MailSessionOps(users, unread, notifier);
  }
}
