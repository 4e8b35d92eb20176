package io.ravenpost.mail;

import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.api.mail.MailboxQuery;
import io.ravenpost.api.mail.ProducerSend;
import io.ravenpost.api.recall.RecallMail;
import io.ravenpost.api.recall.RecallSend;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.ravenpost.mail.send.Idempotency;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The mail routes of the admin and internal HTTP API. They ask the mail role over the event
 * bus, so an admin-only node serves them as long as some node runs the mail role.
 * {@code POST /admin/mail}, {@code POST /internal/mail} (Idempotency-Key required),
 * {@code GET /admin/users/{uid}/mail}, and recalls: {@code DELETE /admin/users/{uid}/mail/{mailId}}
 * (204) and {@code DELETE /admin/sends/{sendId}} ({@code {recalled, alreadyClaimed}}), with
 * {@code GET /admin/sends/{sendId}} to see a send's mails first.
 */
public final class MailRoutes implements AdminRoutes {
  static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

  @Override
  public void mount(Router router) {
    router.post("/admin/mail").handler(rc -> Http.respond(rc, 201, this::adminSend));
    router.post("/internal/mail").handler(rc -> Http.respond(rc, 201, this::internalSend));
    router.get("/admin/users/:uid/mail").handler(rc -> Http.respond(rc, 200, this::mailbox));
    router.delete("/admin/users/:uid/mail/:mailId").handler(rc -> Http.respond(rc, 204,
        r -> Http.relay(r, MailAddresses.RECALL_MAIL, new RecallMail(Http.uidParam(r), Http.longParam(r, "mailId")))));
    router.delete("/admin/sends/:sendId").handler(rc -> Http.respond(rc, 200,
        r -> Http.relay(r, MailAddresses.RECALL_SEND, new RecallSend(Http.longParam(r, "sendId")))));
    router.get("/admin/sends/:sendId").handler(rc -> Http.respond(rc, 200,
        r -> Http.relay(r, MailAddresses.SEND_VIEW, new RecallSend(Http.longParam(r, "sendId")))));
  }

  private Future<JsonObject> adminSend(RoutingContext rc) {
    JsonObject body = Http.jsonBody(rc);
    String key = rc.request().getHeader(IDEMPOTENCY_HEADER);
    return Http.relay(rc, MailAddresses.ADMIN_SEND, ProducerSend.of(body,
        key == null ? null : Idempotency.requireKey(key, IDEMPOTENCY_HEADER), Http.producer(rc)));
  }

  private Future<JsonObject> internalSend(RoutingContext rc) {
    String key = Idempotency.requireKey(rc.request().getHeader(IDEMPOTENCY_HEADER), IDEMPOTENCY_HEADER);
    return Http.relay(rc, MailAddresses.SEND, ProducerSend.of(Http.jsonBody(rc), key, Http.producer(rc)));
  }

  private Future<JsonObject> mailbox(RoutingContext rc) {
    return Http.relay(rc, MailAddresses.ADMIN_MAILBOX, new MailboxQuery(Http.uidParam(rc), Http.pageQuery(rc)));
  }
}
