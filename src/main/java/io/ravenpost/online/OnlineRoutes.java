package io.ravenpost.online;

import io.ravenpost.api.AuditContext;
import io.ravenpost.api.KickReason;
import io.ravenpost.api.UidQuery;
import io.ravenpost.api.online.KickUid;
import io.ravenpost.api.online.OnlineAddresses;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/** Who is online where, and kicking them: {@code /admin/online/{uid}}, {@code /admin/users/{uid}/kick}. */
public final class OnlineRoutes implements AdminRoutes {
  private final AuditLog audit;

  public OnlineRoutes(AuditLog audit) {
    this.audit = audit;
  }

  @Override
  public void mount(Router router) {
    router.get("/admin/online/:uid").handler(rc -> Http.respond(rc, 200, this::online));
    router.post("/admin/users/:uid/kick").handler(rc -> Http.respond(rc, 204, this::kick));
  }

  private Future<JsonObject> online(RoutingContext rc) {
    return Http.relay(rc, OnlineAddresses.LOOKUP, new UidQuery(Http.uidParam(rc)));
  }

  /**
   * Kicking a player who is not online is not an error: the end state is the one asked for. A kick
   * writes nothing to MySQL, so its audit row is one of its own, written once the kick is done.
   */
  private Future<JsonObject> kick(RoutingContext rc) {
    long uid = Http.uidParam(rc);
    return Http.ask(rc, OnlineAddresses.KICK, new KickUid(uid, KickReason.ADMIN))
        .compose(r -> audit.recordAlone(Http.caller(rc), AuditContext.KICK, "uid " + uid
            + (r.kicked() ? " (was online)" : " (was not online)"), AuditLog.OK))
        .map(v -> null);
  }
}
