package io.ravenpost.mail;

import io.micrometer.core.instrument.Counter;
import io.ravenpost.api.AuditContext;
import io.ravenpost.api.Endpoint;
import io.ravenpost.api.UnreadCount;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.common.Bus;
import io.ravenpost.common.InFlight;
import io.ravenpost.mail.box.Mailbox;
import io.ravenpost.mail.global.GlobalMailRole;
import io.ravenpost.mail.send.MailSender;
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

  private final MailModule mail;
  private final Counter served;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private InFlight work;

  MailOpsVerticle(MailModule mail, int loop) {
    this.mail = mail;
    this.served = Counter.builder("raven_mail_requests_total")
        .description("Mail requests (ops, logins, heartbeats, sends) taken by each of the mail role's event loops")
        .tag("loop", Integer.toString(loop)).register(mail.node().metrics());
  }

  /** A consumer on this loop whose requests are counted under its loop and drained at stop. */
  private <Q, A> void serve(Endpoint<Q, A> endpoint, BiFunction<Q, MultiMap, Future<A>> answer) {
    consumers.add(Bus.serve(vertx, endpoint, work, (q, h) -> {
      served.increment();
      return answer.apply(q, h);
    }));
  }

  @Override
  public Future<?> start() {
    work = new InFlight(vertx);
    Mailbox mailbox = mail.mailbox();
    MailSender sender = mail.sender();
    GlobalMailRole global = mail.global();
    MailClientOps client = mail.clientOps();
    MailSessionOps session = mail.sessionOps();
    serve(MailAddresses.CLIENT, (r, h) -> global.beforeClientOp(r).compose(v -> client.handle(r)));
    serve(MailAddresses.LOGIN, (login, h) -> session.login(login));
    serve(MailAddresses.HEARTBEAT, (q, h) -> session.heartbeat(q.uid()));
    serve(MailAddresses.UNREAD, (q, h) -> mail.unread().unread(q.uid()).map(UnreadCount::new));
    serve(MailAddresses.SEND, (s, h) -> sender.send(s, true, AuditContext.from(h)));
    serve(MailAddresses.ADMIN_SEND, (s, h) -> sender.send(s, false, AuditContext.from(h)));
    serve(MailAddresses.ADMIN_MAILBOX, (q, h) -> mailbox.page(q.uid(), q.page().cursor(), q.page().limit(), true));
    serve(MailAddresses.RECALL_MAIL, (q, h) -> mail.recalls().recallMail(q.uid(), q.mailId(), AuditContext.from(h)));
    serve(MailAddresses.RECALL_SEND, (q, h) -> mail.recalls().recallSend(q.sendId(), AuditContext.from(h)));
    serve(MailAddresses.SEND_VIEW, (q, h) -> mail.recalls().send(q.sendId()));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /** No new requests reach this loop once unregistered; those it accepted commit and are answered. */
  @Override
  public Future<?> stop() {
    return Future.join(consumers.stream().map(MessageConsumer::unregister).toList())
        .compose(v -> drained(mail, work));
  }

  /** Waits up to {@code node.drainMs} for the requests {@code work} took; warns about those left. */
  static Future<Integer> drained(MailModule mail, InFlight work) {
    long drainMs = mail.drainMs();
    return work.drained(drainMs).onSuccess(left -> {
      if (left > 0) {
        LOG.warn("mail on node {}: {} requests still unanswered after {} ms; stopping anyway", mail.node().id(), left,
            drainMs);
      }
    });
  }
}
