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
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mail role's requests: the gate's mail ops, logins and heartbeats, producers' and operators'
 * sends. One instance per event loop ({@code mail.eventLoops}): the event bus spreads a node's
 * requests over them, so one loop no longer decodes every MySQL result of the node. They share
 * the node's {@link MailModule}, whose parts keep no state a loop owns (the send and login
 * batchers lock and answer on each caller's context). Each instance drains its own requests.
 */
final class MailOpsVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(MailOpsVerticle.class);

  private final NodeContext ctx;
  private final MailModule mail;
  private final Counter served;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private InFlight work;

  MailOpsVerticle(NodeContext ctx, MailModule mail, int loop) {
    this.ctx = ctx;
    this.mail = mail;
    this.served = Counter.builder("raven_mail_requests_total")
        .description("Mail requests (ops, logins, heartbeats, sends) taken by each of the mail role's event loops")
        .tag("loop", Integer.toString(loop)).register(ctx.metrics());
  }

  /** A consumer on this loop whose requests are counted under its loop and drained at stop. */
  private MessageConsumer<JsonObject> serve(String address,
                                            BiFunction<MultiMap, JsonObject, Future<JsonObject>> answer) {
    return vertx.eventBus().consumer(address, m -> {
      served.increment();
      Bus.answer(m, work, body -> answer.apply(m.headers(), body));
    });
  }

  @Override
  public Future<?> start() {
    work = new InFlight(vertx);
    Mailbox mailbox = mail.mailbox();
    MailSender sender = mail.sender();
    GlobalMailRole global = mail.global();
    MailClientOps client = mail.clientOps();
    MailSessionOps session = mail.sessionOps();
    consumers.add(serve(Addresses.MAIL_CLIENT,
        (h, body) -> global.beforeClientOp(h, body).compose(v -> client.handle(h, body))));
    consumers.add(serve(Addresses.MAIL_LOGIN,
        (h, body) -> session.login(body).compose(r -> global.afterLogin(body, r))));
    consumers.add(serve(Addresses.MAIL_HEARTBEAT, (h, body) -> session.heartbeat(body)));
    consumers.add(serve(Addresses.MAIL_UNREAD, (h, q) -> mail.unread().unread(Fields.requireLong(q, "uid"))
        .map(n -> new JsonObject().put("unread", n))));
    consumers.add(serve(Addresses.MAIL_SEND,
        (h, body) -> sender.send(body, Idempotency.keyField(body, true), AuditContext.from(h))));
    consumers.add(serve(Addresses.MAIL_ADMIN_SEND,
        (h, body) -> sender.send(body, Idempotency.keyField(body, false), AuditContext.from(h))));
    consumers.add(serve(Addresses.MAIL_ADMIN_MAILBOX,
        (h, q) -> mailbox.page(Fields.requireLong(q, "uid"), Page.cursor(q), Page.limit(q), true)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /** No new requests reach this loop once unregistered; those it accepted commit and are answered. */
  @Override
  public Future<?> stop() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList())
        .compose(v -> drained(ctx, work));
  }

  /** Waits up to {@code node.drainMs} for the requests {@code work} took; warns about those left. */
  static Future<Integer> drained(NodeContext ctx, InFlight work) {
    long drainMs = ctx.config().node().drainMs();
    return work.drained(drainMs).onSuccess(left -> {
      if (left > 0) {
        LOG.warn("mail on node {}: {} requests still unanswered after {} ms; stopping anyway", ctx.nodeId(), left,
            drainMs);
      }
    });
  }
}
