package io.ravenpost.mail;

import io.ravenpost.api.Addresses;
import io.ravenpost.api.AuditContext;
import io.ravenpost.common.Bus;
import io.ravenpost.common.Fields;
import io.ravenpost.common.InFlight;
import io.ravenpost.common.NodeContext;
import io.ravenpost.mail.box.Mailbox;
import io.ravenpost.mail.box.Page;
import io.ravenpost.mail.global.GlobalMailRole;
import io.ravenpost.mail.send.Idempotency;
import io.ravenpost.mail.send.MailSender;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The mail role's requests: the gate's mail ops, logins and heartbeats, producers' and operators'
 * sends. One instance per event loop ({@code mail.eventLoops}): the event bus spreads a node's
 * requests over them, so one loop no longer decodes every MySQL result of the node. They share
 * the node's {@link MailModule}, whose parts keep no state a loop owns (the send and login
 * batchers lock and answer on each caller's context). Each instance drains its own requests.
 */
final class MailOpsVerticle extends VerticleBase {
  private final NodeContext ctx;
  private final MailModule mail;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private InFlight work;

  MailOpsVerticle(NodeContext ctx, MailModule mail) {
    this.ctx = ctx;
    this.mail = mail;
  }

  @Override
  public Future<?> start() {
    work = new InFlight(vertx);
    Mailbox mailbox = mail.mailbox();
    MailSender sender = mail.sender();
    GlobalMailRole global = mail.global();
    MailClientOps client = mail.clientOps();
    MailSessionOps session = mail.sessionOps();
    var bus = vertx.eventBus();
    consumers.add(bus.consumer(Addresses.MAIL_CLIENT, m -> Bus.answer(m, work,
        body -> global.beforeClientOp(m.headers(), body).compose(v -> client.handle(m.headers(), body)))));
    consumers.add(bus.consumer(Addresses.MAIL_LOGIN,
        m -> Bus.answer(m, work, body -> session.login(body).compose(r -> global.afterLogin(body, r)))));
    consumers.add(bus.consumer(Addresses.MAIL_HEARTBEAT, m -> Bus.answer(m, work, session::heartbeat)));
    consumers.add(bus.consumer(Addresses.MAIL_UNREAD, m -> Bus.answer(m, work,
        q -> mail.unread().unread(Fields.requireLong(q, "uid")).map(n -> new JsonObject().put("unread", n)))));
    consumers.add(bus.consumer(Addresses.MAIL_SEND, m -> Bus.answer(m, work,
        body -> sender.send(body, Idempotency.keyField(body, true), AuditContext.from(m.headers())))));
    consumers.add(bus.consumer(Addresses.MAIL_ADMIN_SEND, m -> Bus.answer(m, work,
        body -> sender.send(body, Idempotency.keyField(body, false), AuditContext.from(m.headers())))));
    consumers.add(bus.consumer(Addresses.MAIL_ADMIN_MAILBOX, m -> Bus.answer(m, work,
        q -> mailbox.page(Fields.requireLong(q, "uid"), Page.cursor(q), Page.limit(q), true))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /** No new requests reach this loop once unregistered; those it accepted commit and are answered. */
  @Override
  public Future<?> stop() {
    long drainMs = ctx.config().node().drainMs();
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList())
        .compose(v -> work.drained(drainMs))
        .onSuccess(left -> {
          if (left > 0) {
            MailVerticle.LOG.warn("mail on node {}: {} requests still unanswered after {} ms; stopping anyway",
                ctx.nodeId(), left, drainMs);
          }
        });
  }
}
