package io.ravenpost.mail;

import io.ravenpost.api.Addresses;
import io.ravenpost.api.AuditContext;
import io.ravenpost.common.Bus;
import io.ravenpost.common.Fields;
import io.ravenpost.common.InFlight;
import io.ravenpost.common.NodeContext;
import io.ravenpost.common.config.MailConfig;
import io.ravenpost.mail.box.MailMetrics;
import io.ravenpost.mail.box.Mailbox;
import io.ravenpost.mail.box.Page;
import io.ravenpost.mail.claim.OutboxRelay;
import io.ravenpost.mail.global.GlobalMailRole;
import io.ravenpost.mail.send.Idempotency;
import io.ravenpost.mail.send.MailSender;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail role of a node: answers the gate's mail ops, logins and heartbeats, producers' and
 * operators' sends, and publishes grants of the claims it commits. Ready when every consumer's
 * registration has reached the cluster.
 */
public final class MailVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MailVerticle.class);
  private static final long BACKLOG_REFRESH_MS = 5000;

  private final NodeContext ctx;
  private final MailModule mail;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private long backlogTimer;
  private InFlight work;
  private GlobalMailRole global;

  public MailVerticle(NodeContext ctx, MailModule mail) {
    this.ctx = ctx;
    this.mail = mail;
  }

  @Override
  public Future<?> start() {
    MailConfig cfg = mail.config();
    work = new InFlight(vertx);
    Mailbox mailbox = mail.mailbox();
    MailSender sender = mail.sender();
    global = mail.global();
    MailClientOps client = mail.clientOps();
    MailSessionOps session = mail.sessionOps();

    consumers.add(vertx.eventBus().consumer(Addresses.MAIL_CLIENT,
        m -> Bus.answer(m, work, body -> global.beforeClientOp(m.headers(), body)
            .compose(v -> client.handle(m.headers(), body)))));
    consumers.add(vertx.eventBus().consumer(Addresses.MAIL_LOGIN,
        m -> Bus.answer(m, work, body -> session.login(body).compose(r -> global.afterLogin(body, r)))));
    consumers.add(vertx.eventBus().consumer(Addresses.MAIL_HEARTBEAT, m -> Bus.answer(m, work, session::heartbeat)));
    consumers.add(vertx.eventBus().consumer(Addresses.MAIL_UNREAD, m -> Bus.answer(m, work,
        q -> mail.unread().unread(Fields.requireLong(q, "uid")).map(n -> new JsonObject().put("unread", n)))));
    consumers.add(vertx.eventBus().consumer(Addresses.MAIL_SEND,
        m -> Bus.answer(m, work, body -> sender.send(body, Idempotency.keyField(body, true),
            AuditContext.from(m.headers())))));
    consumers.add(vertx.eventBus().consumer(Addresses.MAIL_ADMIN_SEND,
        m -> Bus.answer(m, work, body -> sender.send(body, Idempotency.keyField(body, false),
            AuditContext.from(m.headers())))));
    consumers.add(vertx.eventBus().consumer(Addresses.MAIL_ADMIN_MAILBOX, m -> Bus.answer(m, work,
        q -> mailbox.page(Fields.requireLong(q, "uid"), Page.cursor(q), Page.limit(q), true))));
    consumers.addAll(global.consumers(work));

    MailMetrics metrics = mail.metrics();
    metrics.registerBacklogGauge();
    backlogTimer = vertx.setPeriodic(BACKLOG_REFRESH_MS, id -> OutboxRelay.backlog(ctx.db()).onSuccess(metrics::backlog));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
        .compose(v -> global.startWorkers())
        .onSuccess(v -> LOG.info("mail on node {} ready: ttl={}s capacity={} expiryPolicy={} relay={}", ctx.nodeId(),
            cfg.ttlSeconds(), cfg.capacity(), cfg.expiryPolicy(), cfg.relayEnabled()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(backlogTimer);
    // No new requests reach this node once unregistered; those it accepted commit and are answered.
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList())
        .compose(v -> work.drained(ctx.config().node().drainMs()))
        .onSuccess(left -> {
          if (left > 0) {
            LOG.warn("mail on node {}: {} requests still unanswered after {} ms; stopping anyway", ctx.nodeId(),
                left, ctx.config().node().drainMs());
          }
        })
        .eventually(global::stop);
  }
}
