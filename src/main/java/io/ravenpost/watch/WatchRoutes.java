package io.ravenpost.watch;

import io.ravenpost.api.Endpoint;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.RavenException;
import io.ravenpost.api.watch.WatchAddresses;
import io.ravenpost.api.watch.WatchCancel;
import io.ravenpost.api.watch.WatchPresence;
import io.ravenpost.api.watch.WatchUnread;
import io.ravenpost.common.Bus;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.ravenpost.watch.WatchConfig;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The long polls over HTTP: {@code GET /internal/users/{uid}/unread?known&waitMs&watcher} →
 * {@code {unread}} and {@code GET /internal/presence?uids=1,2&known=1,0&waitMs&watcher} →
 * {@code {online}}. Each request is a watch on the event bus named by a unique {@code ref}; when
 * the HTTP client goes away first, the watch is cancelled on whichever node holds it.
 */
public final class WatchRoutes implements AdminRoutes {
  /** The event-bus request outlives the longest hold by this much, so the holder always answers first. */
  private static final long REPLY_MARGIN_MS = 5000;

  private final String nodeId;
  private final WatchConfig cfg;
  private final AtomicLong refs = new AtomicLong();

  public WatchRoutes(String nodeId, WatchConfig cfg) {
    this.nodeId = nodeId;
    this.cfg = cfg;
  }

  @Override
  public void mount(Router router) {
    router.get("/internal/users/:uid/unread").handler(this::unread);
    router.get("/internal/presence").handler(this::presence);
  }

  private void unread(RoutingContext rc) {
    WatchUnread req;
    try {
      req = new WatchUnread(Http.uidParam(rc), longQuery(rc, "known"), longQuery(rc, "waitMs"),
          rc.queryParams().get("watcher"), ref());
      if (req.known() != null && req.known() < 0) {
        throw ErrorCode.BAD_REQUEST.error("known must not be negative");
      }
    } catch (RavenException e) {
      Http.error(rc, e);
      return;
    }
    hold(rc, WatchAddresses.UNREAD, req, req.waitMs(), req.ref());
  }

  private void presence(RoutingContext rc) {
    WatchPresence req;
    try {
      String[] uids = list(rc, "uids");
      String[] known = list(rc, "known");
      if (uids.length == 0) {
        throw ErrorCode.BAD_REQUEST.error("uids is required: uids=1,2,3");
      }
      if (known.length > 0 && known.length != uids.length) {
        throw ErrorCode.BAD_REQUEST.error("known must give one 1/0 per uid, in the order of uids");
      }
      JsonObject knownMap = new JsonObject();
      for (int i = 0; i < known.length; i++) {
        knownMap.put(uids[i], bool(known[i]));
      }
      JsonObject body = new JsonObject().put("uids", new JsonArray(List.of((Object[]) uids))).put("known", knownMap);
      Long wait = longQuery(rc, "waitMs");
      if (wait != null) {
        body.put("waitMs", wait);
      }
      String watcher = rc.queryParams().get("watcher");
      if (watcher != null) {
        body.put("watcher", watcher);
      }
      req = WatchPresence.fromJson(body.put("ref", ref()));
    } catch (RavenException e) {
      Http.error(rc, e);
      return;
    }
    hold(rc, WatchAddresses.PRESENCE, req, req.waitMs(), req.ref());
  }

  private String ref() {
    return nodeId + "-http-" + refs.incrementAndGet();
  }

  private <Q, A> void hold(RoutingContext rc, Endpoint<Q, A> endpoint, Q req, Long waitMs, String ref) {
    long timeout;
    try {
      timeout = PresenceQuery.waitFor(cfg, waitMs) + REPLY_MARGIN_MS;
    } catch (RavenException e) {
      Http.error(rc, e);
      return;
    }
    boolean[] answered = {false};
    rc.response().closeHandler(v -> {
      if (!answered[0]) {
        Bus.publish(rc.vertx(), WatchAddresses.CANCEL, new WatchCancel(ref));
      }
    });
    Bus.request(rc.vertx(), endpoint, req, new DeliveryOptions().setSendTimeout(timeout))
        .onComplete(ar -> {
          answered[0] = true;
          if (rc.response().closed() || rc.response().ended()) {
            return;
          }
          if (ar.failed()) {
            Http.error(rc, ar.cause());
          } else {
            rc.response().putHeader("content-type", "application/json")
                .end(endpoint.reply().encode(ar.result()).encode());
          }
        });
  }

  private static Long longQuery(RoutingContext rc, String name) {
    String v = rc.queryParams().get(name);
    if (v == null || v.isEmpty()) {
      return null;
    }
    if (!v.matches("-?\\d{1,18}")) {
      throw ErrorCode.BAD_REQUEST.error(name + " must be a decimal integer");
    }
    return Long.parseLong(v);
  }

  private static String[] list(RoutingContext rc, String name) {
    String v = rc.queryParams().get(name);
    if (v == null || v.isBlank()) {
      return new String[0];
    }
    String[] parts = v.split(",", -1);
    for (int i = 0; i < parts.length; i++) {
      parts[i] = parts[i].trim();
      if (!parts[i].matches(name.equals("uids") ? "-?\\d{1,19}" : "1|0|true|false")) {
        throw ErrorCode.BAD_REQUEST.error(name + " must be a comma-separated list of "
            + (name.equals("uids") ? "decimal uids" : "1/0 or true/false") + ", not '" + parts[i] + "'");
      }
    }
    return parts;
  }

  private static boolean bool(String v) {
    return v.equals("1") || v.equals("true");
  }
}
