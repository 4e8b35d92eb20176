package io.ravenpost.mail;

import io.ravenpost.common.Bus;
import io.ravenpost.common.Fields;
import io.ravenpost.common.InFlight;
import io.ravenpost.common.NodeContext;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Global mail inside the mail role: the target handlers, the hooks on login and reads, the
 * operators' addresses and this node's distribution workers. {@link MailVerticle} builds one.
 */
final class GlobalMailRole {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalMailRole.class);
  static final int DEFAULT_PAGE = 20;
  static final int MAX_PAGE = 100;
  private static final long GAUGE_REFRESH_MS = 5000;

  private final NodeContext ctx;
  private final GlobalConfig cfg;
  private final Mailbox mailbox;
  private final GlobalStore store;
  private final GlobalDistributor distributor;
  private final GlobalQueue queue;
  private final GlobalWorker worker;
  private final GlobalDelivery delivery;
  private final GlobalOnlineSend online;
  private final GlobalMetrics metrics;
  private long gaugeTimer = -1;

  GlobalMailRole(NodeContext ctx, MailKeys mailKeys, Mailbox mailbox, MailNotifier notifier,
                 GlobalDistributor.CapacityRule capacity) {
    this.ctx = ctx;
    this.cfg = GlobalConfig.from(ctx.config().section("global"));
    this.mailbox = mailbox;
    GlobalKeys keys = new GlobalKeys(ctx);
    this.metrics = new GlobalMetrics(ctx.metrics());
    GlobalCache cache = new GlobalCache(ctx, keys, metrics);
    this.store = new GlobalStore(ctx, cfg, cache, notifier, metrics);
    GlobalRepair repair = new GlobalRepair(ctx, cfg, keys, cache, store);
    cache.onIncomplete(repair::rebuildSoon);
    this.distributor = new GlobalDistributor(ctx, cfg, cache, notifier, capacity, metrics);
    this.queue = new GlobalQueue(ctx, keys);
    this.worker = new GlobalWorker(ctx, cfg, queue, keys, distributor);
    this.online = new GlobalOnlineSend(ctx, cfg, cache, distributor);
    this.delivery = new GlobalDelivery(ctx, cfg, store, new Idempotency(ctx, mailKeys), online, queue);
  }

  /** The handler of each global target type, for {@link MailSender}. */
  Map<String, TargetHandler> targets() {
    Map<String, TargetHandler> out = new HashMap<>();
    GlobalMail.TYPES.forEach(t -> out.put(t, delivery));
    return out;
  }

  /**
   * Distribute on read: before {@code mail.unread} and the first page of {@code mail.list}, a
   * player whose cursor is behind gets their global mail first, so the login queue is an
   * accelerator, not the only path. A failure here only delays global mail: the read goes on.
   */
  Future<Void> beforeClientOp(MultiMap headers, JsonObject body) {
    String op = headers.get("op");
    String uid = headers.get("uid");
    boolean firstPage = "mail.list".equals(op) && (body == null || body.getValue("cursor") == null);
    boolean read = firstPage || "mail.unread".equals(op);
    if (!cfg.catchUpOnRead() || !read || uid == null || !uid.matches("-?\\d{1,19}")) {
      return Future.succeededFuture();
    }
    return catchUp(Long.parseLong(uid)).mapEmpty();
  }

  /**
   * After the mail side of a login answered: distribute to the player (up to {@code loginCatchUpMs},
   * then the login answers and the distribution goes on). Only when that did not finish (slow,
   * failed, or switched off) is the uid queued (seed 000's ZADD NX) for a worker: a finished
   * catch-up left nothing, and mail created after it reaches online players through the walk
   * that queues them. {@code unread} is re-read if copies arrived.
   */
  Future<JsonObject> afterLogin(JsonObject req, JsonObject reply) {
    long uid = Fields.requireLong(req, "uid");
    Future<Integer> inline = cfg.loginCatchUpMs() == 0 ? Future.failedFuture("login catch-up off")
        : distributor.distribute(List.of(uid))
            .onFailure(t -> LOG.warn("global mail distribution to uid={} failed: {}", uid, t.toString()))
            .timeout(cfg.loginCatchUpMs(), TimeUnit.MILLISECONDS);
    return inline
        .recover(unfinished -> queue.enqueue(List.of(uid)).recover(t -> {
          LOG.warn("uid={} not queued for global mail ({}); it is served at its next read", uid, t.getMessage());
          return Future.succeededFuture(0);
        }).map(v -> 0))
        .compose(n -> n == 0 ? Future.succeededFuture(reply)
            : mailbox.unread(uid).map(u -> reply.put("unread", u)).recover(t -> Future.succeededFuture(reply)));
  }

  private Future<Integer> catchUp(long uid) {
    return distributor.distribute(List.of(uid)).recover(t -> {
      LOG.warn("global mail distribution to uid={} failed: {}", uid, t.toString());
      return Future.succeededFuture(0);
    });
  }

  /** The operators' addresses of {@link GlobalAddresses}. */
  List<MessageConsumer<JsonObject>> consumers(InFlight work) {
    var bus = ctx.vertx().eventBus();
    return List.of(
        bus.<JsonObject>consumer(GlobalAddresses.LIST, m -> Bus.answer(m, work, q -> store.page(MailClientOps.cursor(q),
            (int) Fields.longInRange(q, "limit", DEFAULT_PAGE, 1, MAX_PAGE)))),
        bus.<JsonObject>consumer(GlobalAddresses.RETRACT, m -> Bus.answer(m, work,
            q -> store.retract(Fields.requireLong(q, "globalMailId")).map(v -> new JsonObject()))),
        bus.<JsonObject>consumer(GlobalAddresses.PREVIEW, m -> Bus.answer(m, work, store::preview)),
        bus.<JsonObject>consumer(GlobalAddresses.RESUME_ONLINE, m -> Bus.answer(m, work,
            q -> online.resume().map(n -> new JsonObject().put("resumed", n)))));
  }

  /** Starts this node's workers and the queue gauges ({@code raven_global_queue_depth}, {@code _inflight}). */
  Future<Void> startWorkers() {
    metrics.registerQueueGauges();
    gaugeTimer = ctx.vertx().setPeriodic(GAUGE_REFRESH_MS, id -> Future.all(queue.queued(), queue.inFlight())
        .onSuccess(cf -> metrics.queue(cf.<Long>resultAt(0), cf.<Long>resultAt(1))));
    return worker.start();
  }

  Future<Void> stop() {
    ctx.vertx().cancelTimer(gaugeTimer);
    return worker.stop();
  }
}
