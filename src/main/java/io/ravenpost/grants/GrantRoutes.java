package io.ravenpost.grants;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.common.Bus;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * Game servers pull grants ({@code GET /internal/grants?limit&waitMs&leaseSeconds}, each leased to
 * the caller) and acknowledge them ({@code POST /internal/grants/ack {grantIds}}, 204); operators
 * list dead letters ({@code GET /admin/grants/dead?limit}) and resend one
 * ({@code POST /admin/grants/{grantId}/resend}, 204, audited).
 */
final class GrantRoutes implements AdminRoutes {
  static final int MAX_LIMIT = 1000;
  static final long MAX_WAIT_MS = 60_000;
  static final int DEFAULT_LEASE_SECONDS = 30;
  static final int MAX_LEASE_SECONDS = 3600;
  /** A held pull looks again this often even without an event: leases and retry pauses end silently. */
  static final long RECHECK_MS = 1000;

  private final GrantOutbox outbox;
  private final GrantWake wake;
  private final GrantMetrics metrics;
  private final int defaultLimit;

  GrantRoutes(GrantOutbox outbox, GrantWake wake, GrantMetrics metrics, int defaultLimit) {
    this.outbox = outbox;
    this.wake = wake;
    this.metrics = metrics;
    this.defaultLimit = defaultLimit;
  }

  @Override
  public void mount(Router router) {
    router.get("/internal/grants").handler(rc -> Http.respond(rc, 200, this::pull));
    router.post("/internal/grants/ack").handler(rc -> Http.respond(rc, 204, this::ack));
    router.get("/admin/grants/dead").handler(rc -> Http.respond(rc, 200, this::dead));
    router.post("/admin/grants/:id/resend").handler(rc -> Http.respond(rc, 204, this::resend));
  }

  private Future<JsonObject> pull(RoutingContext rc) {
    int limit = (int) param(rc, "limit", defaultLimit, 1, MAX_LIMIT);
    long waitMs = param(rc, "waitMs", 0, 0, MAX_WAIT_MS);
    long leaseMs = param(rc, "leaseSeconds", DEFAULT_LEASE_SECONDS, 1, MAX_LEASE_SECONDS) * 1000;
    return offer(rc, limit, leaseMs, System.currentTimeMillis() + waitMs)
        .map(grants -> new JsonObject().put("grants", new JsonArray(grants.stream().map(Grant::toJson).toList())));
  }

  /** Leases what is offerable; with none, waits for a claim (or the next look) until the deadline. */
  private Future<List<Grant>> offer(RoutingContext rc, int limit, long leaseMs, long deadline) {
    if (rc.response().closed()) {
      // Leasing for a caller who left would only hide the grants until the lease ends.
      return Future.succeededFuture(List.of());
    }
    return outbox.lease(limit, leaseMs).compose(lease -> {
      long left = deadline - System.currentTimeMillis();
      if (!lease.grants().isEmpty() || left <= 0) {
        return Future.succeededFuture(lease.grants());
      }
      return wake.next(Math.min(left, RECHECK_MS)).compose(v -> offer(rc, limit, leaseMs, deadline));
    });
  }

  private Future<JsonObject> ack(RoutingContext rc) {
    JsonArray ids = Http.jsonBody(rc).getValue("grantIds") instanceof JsonArray a ? a : null;
    if (ids == null || ids.isEmpty() || ids.size() > MAX_LIMIT) {
      throw new RavenException(ErrorCode.BAD_REQUEST, "grantIds must be an array of 1 to " + MAX_LIMIT + " grant ids");
    }
    List<Grant.Id> parsed = new ArrayList<>();
    ids.forEach(id -> parsed.add(Grant.Id.parse(id)));
    return outbox.ack(parsed).map(n -> {
      metrics.delivered("pull", n);
      return null;
    });
  }

  private Future<JsonObject> dead(RoutingContext rc) {
    int limit = (int) param(rc, "limit", 50, 1, MAX_LIMIT);
    return outbox.dead(limit).map(list -> new JsonObject().put("grants", new JsonArray(list)));
  }

  private Future<JsonObject> resend(RoutingContext rc) {
    Grant.Id id = Grant.Id.parse(rc.pathParam("id"));
    return outbox.resend(id, Http.caller(rc)).map(v -> {
      Bus.publish(rc.vertx(), MailAddresses.GRANTS_READY, null);
      return null;
    });
  }

  private static long param(RoutingContext rc, String name, long absent, long min, long max) {
    String v = rc.request().getParam(name);
    if (v == null || v.isEmpty()) {
      return absent;
    }
    try {
      long n = Long.parseLong(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new RavenException(ErrorCode.BAD_REQUEST, name + " must be a whole number from " + min + " to " + max);
  }
}
