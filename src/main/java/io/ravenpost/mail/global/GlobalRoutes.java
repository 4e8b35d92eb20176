package io.ravenpost.mail.global;

import io.ravenpost.api.Addresses;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The operators' global mail routes: {@code GET /admin/global-mail} (page with delivery counts),
 * {@code DELETE /admin/global-mail/{id}} (retraction, 204) and {@code POST /admin/global-mail/preview}
 * ({@code {target}} → {@code {target, matches}}). Sending is {@code POST /admin/mail} with a global target.
 */
public final class GlobalRoutes implements AdminRoutes {
  @Override
  public void mount(Router router) {
    router.get("/admin/global-mail").handler(rc -> Http.respond(rc, 200, this::page));
    router.post("/admin/global-mail/preview").handler(rc -> Http.respond(rc, 200,
        r -> Http.ask(r, Addresses.GLOBAL_PREVIEW, Http.jsonBody(r))));
    router.delete("/admin/global-mail/:id").handler(rc -> Http.respond(rc, 204,
        r -> Http.ask(r, Addresses.GLOBAL_RETRACT,
            new JsonObject().put("globalMailId", Http.longParam(r, "id")))));
  }

  private Future<JsonObject> page(RoutingContext rc) {
    return Http.ask(rc, Addresses.GLOBAL_LIST, Http.pageQuery(rc, new JsonObject()));
  }
}
