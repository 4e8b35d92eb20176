package io.ravenpost.audit;

import io.ravenpost.api.Fields;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/** {@code GET /admin/audit?cursor&limit&actor}: the trail, newest first (any operator may read it). */
public final class AuditRoutes implements AdminRoutes {
  private final AuditLog log;

  public AuditRoutes(AuditLog log) {
    this.log = log;
  }

  @Override
  public void mount(Router router) {
    router.get("/admin/audit").handler(rc -> Http.respond(rc, 200, r -> {
      JsonObject q = new JsonObject().put("cursor", r.request().getParam("cursor"))
          .put("limit", r.request().getParam("limit"));
      String actor = r.request().getParam("actor");
      if (actor != null && (actor.isEmpty() || actor.length() > 96)) {
        throw Fields.bad("actor", "must be 1..96 characters");
      }
      int limit = (int) Fields.longInRange(q, "limit", AuditLog.DEFAULT_PAGE, 1, AuditLog.MAX_PAGE);
      return log.page(q.getString("cursor"), limit, actor);
    }));
  }
}
