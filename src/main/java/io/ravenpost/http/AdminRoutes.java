package io.ravenpost.http;

import io.vertx.ext.web.Router;

/**
 * A feature's HTTP routes. Mounted after authentication: {@code /admin/*} is admin-only and
 * {@code /internal/*} takes service or admin tokens. Handlers fail the context with a
 * {@link io.ravenpost.api.RavenException} (or any throwable) and {@link Http} maps it.
 */
public interface AdminRoutes {
  void mount(Router router);
}
