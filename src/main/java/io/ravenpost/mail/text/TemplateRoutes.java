package io.ravenpost.mail.text;

import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.vertx.ext.web.Router;

/**
 * The operators' template routes: {@code PUT /admin/templates/{id}} ({@code {texts,
 * defaultLocale}} → {@code {id, version}}, each PUT the next version), {@code GET /admin/templates}
 * (the latest version of each) and {@code GET /admin/templates/{id}} (the latest, with the list of
 * versions).
 */
public final class TemplateRoutes implements AdminRoutes {
  private final Templates templates;

  public TemplateRoutes(Templates templates) {
    this.templates = templates;
  }

  @Override
  public void mount(Router router) {
    router.put("/admin/templates/:id").handler(rc -> Http.respond(rc, 200,
        r -> templates.put(r.pathParam("id"), Http.jsonBody(r), Http.caller(r))));
    router.get("/admin/templates").handler(rc -> Http.respond(rc, 200, r -> templates.list()));
    router.get("/admin/templates/:id").handler(rc -> Http.respond(rc, 200, r -> templates.one(r.pathParam("id"))));
  }
}
