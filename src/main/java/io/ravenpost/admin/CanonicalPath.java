package io.ravenpost.admin;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.http.Http;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * Refuses, before routing, every request whose path is not the one the router will match: a
 * {@code %}-escape, a {@code .} or {@code ..} segment, or an empty segment ({@code //}). The router
 * matches the normalised path, so a raw path that differs from it could be routed to one route and
 * judged as another; no route of this server needs any of those forms, so they are refused outright.
 */
final class CanonicalPath implements Handler<RoutingContext> {
  static final String MESSAGE = "the request path must be in normal form: no %-escapes, no . or .. segments, "
      + "no empty segments";

  @Override
  public void handle(RoutingContext rc) {
    String raw = rc.request().path();
    if (raw == null || !canonical(raw) || !raw.equals(rc.normalizedPath())) {
      rc.request().resume();
      Http.error(rc, ErrorCode.BAD_REQUEST.error(MESSAGE));
      return;
    }
    rc.next();
  }

  static boolean canonical(String path) {
    if (!path.startsWith("/") || path.indexOf('%') >= 0 || path.indexOf('\\') >= 0 || path.contains("//")) {
      return false;
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return false;
      }
    }
    return true;
  }
}
