package io.ravenpost.admin;

import io.ravenpost.api.Addresses;
import io.ravenpost.api.KickReason;
import io.ravenpost.common.NodeContext;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Who is online where, and kicking them: {@code /admin/online/{uid}}, {@code /admin/users/{uid}/kick}. */
final class OnlineRoutes implements AdminRoutes {
  private final NodeContext ctx;

  OnlineRoutes(NodeContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void mount(Router router) {
    router.get("/admin/online/:uid").handler(rc -> Http.respond(rc, 200, this::online));
    router.post("/admin/users/:uid/kick").handler(rc -> Http.respond(rc, 204, this::kick));
  }

  private Future<JsonObject> online(RoutingContext rc) {
    return Http.ask(ctx.vertx(), Addresses.ONLINE_LOOKUP, new JsonObject().put("uid", Http.uidParam(rc)));
  }

  /** Kicking a player who is not online is not an error: the end state is the one asked for. */
  private Future<JsonObject> kick(RoutingContext rc) {
    JsonObject req = new JsonObject().put("uid", Http.uidParam(rc)).put("reason", KickReason.ADMIN.name());
    return Http.ask(ctx.vertx(), Addresses.ONLINE_KICK, req)
        .map(r -> null);
  }
}
