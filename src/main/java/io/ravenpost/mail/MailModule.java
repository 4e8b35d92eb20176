package io.ravenpost.mail;

import io.ravenpost.api.mail.MailSessions;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
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
import io.ravenpost.mail.feed.Feed;
import io.ravenpost.mail.feed.FeedJobs;
import io.ravenpost.mail.feed.FeedMetrics;
import io.ravenpost.mail.feed.FeedReader;
import io.ravenpost.mail.feed.MailboxWrites;
import io.ravenpost.mail.global.GlobalMailRole;
import io.ravenpost.mail.global.distribute.CopyRules;
import io.ravenpost.mail.global.store.GlobalConfig;
import io.ravenpost.mail.global.view.GlobalRoutes;
import io.ravenpost.mail.recall.Recalls;
import io.ravenpost.mail.send.Capacity;
import io.ravenpost.mail.send.Idempotency;
import io.ravenpost.mail.send.MailSender;
import io.ravenpost.mail.send.PersonalDelivery;
import io.ravenpost.mail.send.RateLimiter;
import io.ravenpost.mail.send.SendRequest;
import io.ravenpost.mail.send.TargetHandler;
import io.ravenpost.mail.text.MailTexts;
import io.ravenpost.mail.text.TemplateRoutes;
import io.ravenpost.mail.text.Templates;
import io.ravenpost.online.MessageRouter;
import io.ravenpost.online.OnlineState;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place the mail feature is wired: personal mailboxes, sending, claims and the outbox,
 * expiry, and global mail, built once per node and shared by the mail verticle, the mail jobs and
 * the global jobs the scheduler runs, and the admin routes.
 */
public final class MailModule {
  private final NodeInfo node;
  private final Stores stores;
  private final MailConfig cfg;
  private final long drainMs;
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
  private final MailboxWrites writes;
  private final FeedReader feedReader;
  private final Recalls recalls;
  private final MailSessionOps sessionOps;
  private final Templates templates;
  private final MailTexts texts;

  /**
   * @param drainMs how long a stopping mail role waits for the requests it took
   */
  public MailModule(NodeInfo node, Stores stores, MailConfig cfg, GlobalConfig globalCfg, long drainMs,
                    OnlineState online, MessageRouter router) {
    this.node = node;
    this.stores = stores;
    this.cfg = cfg;
    this.drainMs = drainMs;
    this.metrics = new MailMetrics(node.metrics());
    MailKeys keys = new MailKeys(stores);
    this.templates = new Templates(stores.db());
    this.texts = new MailTexts(stores.db(), node.metrics(), templates);
    this.mailbox = new Mailbox(stores.db(), texts);
    this.users = new Users(node.vertx(), stores.db());
    this.unread = new UnreadCache(node, stores, keys, mailbox);
    this.notifier = new MailNotifier(node, stores, cfg, keys, mailbox, metrics, online, router, unread);
    this.relay = new OutboxRelay(node, stores, cfg, metrics);
    Feed feed = new Feed(stores.db());
    FeedMetrics feedMetrics = new FeedMetrics(node.metrics());
    this.feedReader = new FeedReader(node.vertx(), stores.db(), feed.epochs(), feedMetrics, texts);
    this.writes = new MailboxWrites(stores.db(), mailbox, feed, notifier);
    this.recalls = new Recalls(stores.db(), feed, notifier);
    Capacity capacity = new Capacity(cfg, metrics);
    Idempotency idempotency = new Idempotency(stores, keys);
    PersonalDelivery personal = new PersonalDelivery(stores, cfg, mailbox, idempotency, notifier, metrics, capacity, feed);
    this.global = new GlobalMailRole(node, stores, globalCfg, keys, mailbox, notifier,
        new CopyRules(capacity::enforce, feed), feed, online, unread);
    this.sessionOps = new MailSessionOps(node.metrics(), stores, users, unread, global, feedReader);
    Map<String, TargetHandler> targets = new HashMap<>(global.targets());
    targets.put(SendRequest.USERS, personal);
    this.sender = new MailSender(cfg, targets, users, new RateLimiter(stores, keys, cfg), idempotency, texts);
    this.claims = new ClaimService(stores.db(), mailbox, relay, feed, notifier, metrics);
    this.jobs = new MailJobs(cfg, relay, new ExpirySweep(stores, cfg, relay, notifier, feed, metrics), global.jobs(),
        new FeedJobs(stores.db(), feed, notifier, feedMetrics, cfg.jobBatch(), cfg.feedDays()));
  }

  /**
   * Checks a send body as {@code POST /admin/mail} does, without sending: a BAD_REQUEST naming the
   * field, or nothing.
   */
  public void check(JsonObject body) {
    sender.check(body);
  }

  public MailJobs jobs() {
    return jobs;
  }

  /** The feature's routes on the admin router. */
  public List<AdminRoutes> routes() {
    return List.of(new MailRoutes(), new GlobalRoutes(), new TemplateRoutes(templates));
  }

  /** The feature's queues as {@code GET /admin/stats} lists them (cluster-wide; any node can read them). */
  public List<QueueDepth> queues() {
    return List.of(
        QueueDepth.of("globalQueued", global.queue()::queued),
        QueueDepth.of("globalInFlight", global.queue()::inFlight),
        QueueDepth.of("grantsUnacknowledged", () -> OutboxRelay.backlog(stores.db())));
  }

  MailConfig config() {
    return cfg;
  }

  NodeInfo node() {
    return node;
  }

  Stores stores() {
    return stores;
  }

  long drainMs() {
    return drainMs;
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
    return new MailClientOps(mailbox, unread, claims, sender, notifier, writes, feedReader);
  }

  FeedReader feedReader() {
    return feedReader;
  }

  Recalls recalls() {
    return recalls;
  }

  MailSessionOps sessionOps() {
    return sessionOps;
  }

  /** The mail side of sessions, for this node's gate to call in place. */
  public MailSessions sessions() {
    return sessionOps;
  }
}
