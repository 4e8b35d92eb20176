package io.ravenpost.admin.operators;

import io.ravenpost.api.Fields;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Operators' accounts over HTTP (admin only): {@code GET /admin/operators},
 * {@code POST /admin/operators {name, role}} (201 with a generated password, shown once),
 * {@code PUT /admin/operators/{name} {role}}, {@code POST /admin/operators/{name}/password},
 * {@code DELETE /admin/operators/{name}}.
 */
public final class OperatorRoutes implements AdminRoutes {
  private final OperatorStore store;

  public OperatorRoutes(OperatorStore store) {
    this.store = store;
  }

  @Override
  public void mount(Router router) {
    router.get("/admin/operators").handler(rc -> Http.respond(rc, 200, r -> store.list()));
    router.post("/admin/operators").handler(rc -> Http.respond(rc, 201, r -> {
      JsonObject b = Http.jsonBody(r);
      return store.add(Fields.requireString(b, "name", 64), role(b), Http.caller(r));
    }));
    router.put("/admin/operators/:name").handler(rc -> Http.respond(rc, 200,
        r -> store.setRole(name(r), role(Http.jsonBody(r)), Http.caller(r))));
    router.post("/admin/operators/:name/password").handler(rc -> Http.respond(rc, 200,
        r -> store.resetPassword(name(r), Http.caller(r))));
    router.delete("/admin/operators/:name").handler(rc -> Http.respond(rc, 204,
        r -> store.remove(name(r), Http.caller(r)).map(v -> null)));
  }

  private static String name(RoutingContext rc) {
    return OperatorStore.checkName(rc.pathParam("name"));
  }

  private static Role role(JsonObject body) {
    return Role.parse(Fields.requireString(body, "role", 16));
  }
}
