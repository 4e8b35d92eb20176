package io.ravenpost.schedule;

import io.ravenpost.api.PageQuery;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The operators' schedule routes: {@code POST /admin/schedules} ({@code 201 {scheduleId, nextRunAt}}),
 * {@code GET /admin/schedules} (a page, newest first), {@code GET /admin/schedules/{id}} (with its
 * latest runs), {@code DELETE /admin/schedules/{id}} (204) and {@code GET /admin/schedules/preview}
 * ({@code ?cron&timezone&startsAt&endsAt}: the next five run times, changing nothing).
 */
public final class ScheduleRoutes implements AdminRoutes {
  static final int PREVIEW_RUNS = 5;

  private final ScheduleStore store;
  private final Consumer<JsonObject> mailCheck;
  private final LongSupplier clock;

  /** @param mailCheck the mail role's check of a send body, run on each schedule's mail before it is stored */
  ScheduleRoutes(ScheduleStore store, Consumer<JsonObject> mailCheck, LongSupplier clock) {
    this.store = store;
    this.mailCheck = mailCheck;
    this.clock = clock;
  }

  @Override
  public void mount(Router router) {
    router.post("/admin/schedules").handler(rc -> Http.respond(rc, 201, this::create));
    router.get("/admin/schedules").handler(rc -> Http.respond(rc, 200, this::page));
    // Before /:id, which would take "preview" for an id.
    router.get("/admin/schedules/preview").handler(rc -> Http.respond(rc, 200, this::preview));
    router.get("/admin/schedules/:id").handler(rc -> Http.respond(rc, 200, r -> store.one(Http.longParam(r, "id"))));
    router.delete("/admin/schedules/:id").handler(rc -> Http.respond(rc, 204,
        r -> store.delete(Http.longParam(r, "id"), Http.caller(r), clock.getAsLong()).map(v -> null)));
  }

  private Future<JsonObject> create(RoutingContext rc) {
    long now = clock.getAsLong();
    JsonObject body = Http.jsonBody(rc);
    // Finding the next run of a cron that rarely or never matches (31 February) walks years of
    // dates: off the event loop, so a bad rule slows only its own request.
    return rc.vertx().executeBlocking(() -> NewSchedule.parse(body, mailCheck, now), false)
        .compose(s -> store.create(s, Http.caller(rc), now)
            .map(id -> new JsonObject().put("scheduleId", id).put("nextRunAt", s.nextRunAt())));
  }

  private Future<JsonObject> page(RoutingContext rc) {
    PageQuery q = Http.pageQuery(rc);
    return store.page(q.cursor(), q.limit());
  }

  /** {@code {runs: [epoch ms], local: [ISO time with the zone's offset]}}: what the console shows before saving. */
  private Future<JsonObject> preview(RoutingContext rc) {
    JsonObject q = new JsonObject();
    for (String name : List.of("cron", "timezone", "startsAt", "endsAt")) {
      String v = rc.request().getParam(name);
      if (v != null && !v.isEmpty()) {
        q.put(name, v);
      }
    }
    long now = clock.getAsLong();
    return rc.vertx().executeBlocking(() -> {
      CronRule rule = CronRule.parse(q);
      List<Long> runs = rule.upcoming(now, PREVIEW_RUNS);
      return new JsonObject().put("cron", rule.cron()).put("timezone", rule.timezone())
          .put("runs", new JsonArray(runs)).put("local", new JsonArray(runs.stream().map(rule::local).toList()));
    }, false);
  }
}
