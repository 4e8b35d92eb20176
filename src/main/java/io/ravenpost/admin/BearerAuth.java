package io.ravenpost.admin;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.common.Claims;
import io.ravenpost.common.Tokens;
import io.ravenpost.http.Http;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Set;

/** Bearer JWT with a role check: 401 without a valid token, 403 with the wrong role. */
final class BearerAuth implements Handler<RoutingContext> {
  static final String CLAIMS = "claims";

  private final Tokens tokens;
  private final Set<String> roles;

  BearerAuth(Tokens tokens, Set<String> roles) {
    this.tokens = tokens;
    this.roles = roles;
  }

  @Override
  public void handle(RoutingContext rc) {
    String h = rc.request().getHeader("Authorization");
    if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      Http.error(rc, ErrorCode.AUTH_INVALID.error("Authorization: Bearer <token> required"));
      return;
    }
    tokens.verify(h.substring(7).trim()).onComplete(ar -> {
      if (ar.failed()) {
        Http.error(rc, ar.cause());
      } else if (!roles.contains(ar.result().role())) {
        Http.error(rc, ErrorCode.FORBIDDEN.error("role " + ar.result().role() + " may not call this route"));
      } else {
        rc.put(CLAIMS, ar.result());
        rc.put(Http.CALLER, Long.toString(ar.result().uid()));
        rc.next();
      }
    });
  }

  static Claims claims(RoutingContext rc) {
    return rc.get(CLAIMS);
  }
}
