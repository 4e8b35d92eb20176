package io.ravenpost.mail.global.view;

import io.ravenpost.api.mail.GlobalPreview;
import io.ravenpost.api.mail.GlobalRetract;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.vertx.ext.web.Router;

/**
 * The operators' global mail routes: {@code GET /admin/global-mail} (page with delivery counts),
 * {@code DELETE /admin/global-mail/{id}} (retraction, 204) and {@code POST /admin/global-mail/preview}
 * ({@code {target}} → {@code {target, matches}}), {@code GET /admin/global-mail/{id}/timeline} (copies
 * delivered, opened and claimed per minute). Sending is {@code POST /admin/mail} with a global target.
 */
public final class GlobalRoutes implements AdminRoutes {
  @Override
  public void mount(Router router) {
    router.get("/admin/global-mail").handler(rc -> Http.respond(rc, 200,
        r -> Http.relay(r, MailAddresses.GLOBAL_LIST, Http.pageQuery(r))));
    router.post("/admin/global-mail/preview").handler(rc -> Http.respond(rc, 200,
        r -> Http.relay(r, MailAddresses.GLOBAL_PREVIEW, GlobalPreview.CODEC.decode(Http.jsonBody(r), null))));
    router.get("/admin/global-mail/:id/timeline").handler(rc -> Http.respond(rc, 200,
        r -> Http.relay(r, MailAddresses.GLOBAL_TIMELINE, new GlobalRetract(Http.longParam(r, "id")))));
    router.delete("/admin/global-mail/:id").handler(rc -> Http.respond(rc, 204,
        r -> Http.ask(r, MailAddresses.GLOBAL_RETRACT, new GlobalRetract(Http.longParam(r, "id"))).map(v -> null)));
  }
}
