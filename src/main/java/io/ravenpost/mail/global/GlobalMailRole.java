package io.ravenpost.mail.global;

import io.ravenpost.api.AuditContext;
import io.ravenpost.api.ClientOp;
import io.ravenpost.api.ClientRequest;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.api.mail.Resumed;
import io.ravenpost.common.Bus;
import io.ravenpost.common.InFlight;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.box.MailKeys;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.box.Mailbox;
import io.ravenpost.mail.box.UnreadCache;
import io.ravenpost.mail.feed.Feed;
import io.ravenpost.mail.global.create.GlobalDelivery;
import io.ravenpost.mail.global.create.GlobalRepair;
import io.ravenpost.mail.global.create.GlobalStore;
import io.ravenpost.mail.global.distribute.CopyRules;
import io.ravenpost.mail.global.distribute.GlobalDistributor;
import io.ravenpost.mail.global.distribute.GlobalQueue;
import io.ravenpost.mail.global.distribute.GlobalWorker;
import io.ravenpost.mail.global.online.GlobalOnlineSend;
import io.ravenpost.mail.global.online.OnlineCopies;
import io.ravenpost.mail.global.online.OnlineOwed;
import io.ravenpost.mail.global.store.GlobalCache;
import io.ravenpost.mail.global.store.GlobalConfig;
import io.ravenpost.mail.global.store.GlobalKeys;
import io.ravenpost.mail.global.store.GlobalMail;
import io.ravenpost.mail.global.store.GlobalMetrics;
import io.ravenpost.mail.global.view.GlobalTimeline;
import io.ravenpost.mail.global.view.GlobalViews;
import io.ravenpost.mail.send.Idempotency;
import io.ravenpost.mail.send.TargetHandler;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Global mail inside the mail role: the target handlers, the hooks on login and reads, the
 * operators' addresses, this node's distribution workers and the periodic jobs. One per node,
 * built by the mail module.
 */
public final class GlobalMailRole {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalMailRole.class);
  private static final long GAUGE_REFRESH_MS = 5000;

  private final NodeInfo node;
  private final GlobalConfig cfg;
  private final Mailbox mailbox;
  private final UnreadCache unread;
  private final Stores stores;
  private final GlobalCache cache;
  private final GlobalStore store;
  private final GlobalViews views;
  private final GlobalTimeline timeline;
  private final GlobalDistributor distributor;
  private final GlobalQueue queue;
  private final GlobalWorker worker;
  private final GlobalDelivery delivery;
  private final GlobalOnlineSend online;
  private final OnlineOwed owed;
  private final OnlineCopies copies;
  private final GlobalMetrics metrics;
  private final GlobalRepair repair;
  private final GlobalJobs jobs;
  private long gaugeTimer = -1;

  public GlobalMailRole(NodeInfo node, Stores stores, GlobalConfig cfg, MailKeys mailKeys, Mailbox mailbox,
                        MailNotifier notifier, CopyRules rules, Feed feed, OnlineState registry,
                        UnreadCache unread) {
    this.unread = unread;
    this.node = node;
    this.stores = stores;
    this.cfg = cfg;
    this.mailbox = mailbox;
    GlobalKeys keys = new GlobalKeys(stores);
    this.metrics = new GlobalMetrics(node.metrics());
    this.cache = new GlobalCache(stores, keys, metrics);
    this.store = new GlobalStore(node, stores, cfg, cache, notifier, feed, metrics);
    this.views = new GlobalViews(stores, registry, mailbox.localize());
    this.timeline = new GlobalTimeline(stores.db());
    this.repair = new GlobalRepair(node, stores, cfg, keys, cache, store);
    cache.onIncomplete(repair::rebuildSoon);
    this.distributor = new GlobalDistributor(stores, cfg, cache, notifier, rules, metrics);
    this.queue = new GlobalQueue(stores, keys);
    this.worker = new GlobalWorker(node, stores, cfg, queue, keys, distributor);
    this.owed = new OnlineOwed(stores, keys);
    this.copies = new OnlineCopies(node, stores, cache, distributor, notifier, owed);
    this.online = new GlobalOnlineSend(node, stores, cache, registry, copies, mailbox.localize());
    this.delivery = new GlobalDelivery(stores, cfg, store, new Idempotency(stores, mailKeys), online, queue, registry);
    this.jobs = new GlobalJobs(node, repair, queue, metrics);
  }

  /** Global mail's periodic work, for the scheduler. */
  public GlobalJobs jobs() {
    return jobs;
  }

  /** The login queue, whose depths operators see in stats. */
  public GlobalQueue queue() {
    return queue;
  }

  /** The handler of each global target type, for {@link MailSender}. */
  public Map<String, TargetHandler> targets() {
    Map<String, TargetHandler> out = new HashMap<>();
    GlobalMail.TYPES.forEach(t -> out.put(t, delivery));
    return out;
  }

  /**
   * Distribute on read: before {@code mail.unread} and the first page of {@code mail.list}, a
   * player whose cursor is behind gets their global mail first, so the login queue is an
   * accelerator, not the only path. A failure here only delays global mail: the read goes on.
   */
  public Future<Void> beforeClientOp(ClientRequest r) {
    ClientOp op = r.op();
    long uid = r.uid();
    boolean firstPage = op == ClientOp.MAIL_LIST && r.body().getValue("cursor") == null;
    boolean read = firstPage || op == ClientOp.MAIL_UNREAD;
    // A player told about an online send may use the mail id it was told before its copy is written.
    Future<Void> settled = op == ClientOp.MAIL_SEND ? Future.succeededFuture() : owed.settle(uid, copies)
        .recover(t -> {
          LOG.warn("online copies owed to uid={} not written ({}); the background writer brings them", uid,
              t.getMessage());
          return Future.succeededFuture();
        });
    if (!cfg.catchUpOnRead() || !read) {
      return settled;
    }
    return settled.compose(v -> upToDate(uid))
        .compose(done -> done ? Future.<Void>succeededFuture() : catchUp(uid).<Void>mapEmpty());
  }

  /**
   * True when Redis knows the player has every live global mail, or that there is none (a complete
   * id ZSET holding no id): the read or login then costs no MySQL. One pipelined round trip.
   */
  private Future<Boolean> upToDate(long uid) {
    return stores.redisBatch(upToDateReads(uid)).map(this::upToDateIn).otherwise(false);
  }

  /** The Redis reads {@link #upToDateIn} judges, for a login that pipelines them with its own. */
  public List<Request> upToDateReads(long uid) {
    return cache.upToDateReads(uid);
  }

  /** Whether the replies to {@link #upToDateReads} (in order, first at index 0) say the player is up to date. */
  public boolean upToDateIn(List<Response> replies) {
    return GlobalCache.upToDate(replies.get(0), replies.get(1));
  }

  /**
   * After the mail side of a login answered: unless Redis knows the player is up to date (no
   * MySQL then), distribute to the player (up to {@code loginCatchUpMs},
   * then the login answers and the distribution goes on). Only when that did not finish (slow,
   * failed, or switched off) is the uid queued (the global-mail design's ZADD NX) for a worker: a finished
   * catch-up left nothing, and mail created after it reaches online players through the walk
   * that queues them. {@code unread} is re-read if copies arrived. {@code upToDate} is what
   * {@link #upToDateIn} said of reads made after the player's session owned its entry.
   */
  public Future<Long> afterLogin(long uid, long unreadAtLogin, boolean upToDate) {
    Future<Integer> inline = cfg.loginCatchUpMs() == 0 ? Future.failedFuture("login catch-up off")
        : upToDate ? Future.succeededFuture(0) : distributor.distribute(List.of(uid))
            .onFailure(t -> LOG.warn("global mail distribution to uid={} failed: {}", uid, t.toString()))
            .timeout(cfg.loginCatchUpMs(), TimeUnit.MILLISECONDS);
    return inline
        .recover(unfinished -> queue.enqueue(List.of(uid)).recover(t -> {
          LOG.warn("uid={} not queued for global mail ({}); it is served at its next read", uid, t.getMessage());
          return Future.succeededFuture(0);
        }).map(v -> 0))
        .compose(n -> n == 0 ? Future.succeededFuture(unreadAtLogin)
            : unread.unread(uid).recover(t -> Future.succeededFuture(unreadAtLogin)));
  }

  private Future<Integer> catchUp(long uid) {
    return distributor.distribute(List.of(uid)).recover(t -> {
      LOG.warn("global mail distribution to uid={} failed: {}", uid, t.toString());
      return Future.succeededFuture(0);
    });
  }

  /** The operators' addresses ({@code raven.mail.global.*}). */
  public List<MessageConsumer<JsonObject>> consumers(InFlight work) {
    Vertx vertx = node.vertx();
    return List.of(
        Bus.serve(vertx, MailAddresses.GLOBAL_LIST, work, (q, h) -> views.page(q.cursor(), q.limit())),
        Bus.serve(vertx, MailAddresses.GLOBAL_RETRACT, work,
            (q, h) -> store.retract(q.globalMailId(), AuditContext.from(h)).<Void>mapEmpty()),
        Bus.serve(vertx, MailAddresses.GLOBAL_PREVIEW, work, (q, h) -> views.preview(q.target())),
        Bus.serve(vertx, MailAddresses.GLOBAL_TIMELINE, work, (q, h) -> timeline.timeline(q.globalMailId())),
        Bus.serve(vertx, MailAddresses.GLOBAL_RESUME_ONLINE, work, (q, h) -> online.resume().map(Resumed::new)),
        Bus.serve(vertx, MailAddresses.GLOBAL_RECIPIENTS, work, (q, h) -> copies.record(q)));
  }

  /** Starts this node's workers and the queue gauges ({@code raven_global_queue_depth}, {@code _inflight}). */
  public Future<Void> startWorkers() {
    metrics.registerQueueGauges();
    gaugeTimer = node.vertx().setPeriodic(GAUGE_REFRESH_MS, id -> Future.all(queue.queued(), queue.inFlight())
        .onSuccess(cf -> metrics.queue(cf.<Long>resultAt(0), cf.<Long>resultAt(1))));
    return worker.start();
  }

  public Future<Void> stop() {
    node.vertx().cancelTimer(gaugeTimer);
    return worker.stop();
  }
}
