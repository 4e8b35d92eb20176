package io.ravenpost.bench.echo;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.http.AdminRoutes;
import io.ravenpost.http.Http;
import io.ravenpost.http.NodePlugin;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Benchmark support inside a node, off unless config {@code bench.echo} is true (env
 * {@code RAVEN_BENCH_ECHO=true}; the benchmark sets it on the nodes it starts). It gives the
 * {@code crossnode} scenario its baseline, raw event-bus request-reply between two node JVMs:
 * <ul>
 *   <li>address {@code raven.bench.echo.<nodeId>} replies with the body it got;</li>
 *   <li>{@code GET /internal/bench/echo?to=<nodeId>&n=N&bytes=B} makes this node send N requests,
 *       one after another, to that address on node {@code to} and answers
 *       {@code {to, n, rttMicros: [...]}}.</li>
 *   <li>{@code raven.reward.grant} is acknowledged at once, as a game's reward service would.</li>
 * </ul>
 * A node finds it through {@code META-INF/services/io.ravenpost.http.NodePlugin} when the
 * benchmark's jar is on its class path, so the product itself carries none of this.
 */
public final class BenchEcho implements NodePlugin {
  /** Prefix of the per-node echo address; the node id follows. */
  public static final String ADDRESS_PREFIX = "raven.bench.echo.";
  private static final int MAX_N = 100_000;
  private static final int MAX_BYTES = 65_536;
  private static final long SEND_TIMEOUT_MS = 5000;

  /** For {@link java.util.ServiceLoader}. */
  public BenchEcho() {
  }

  @Override
  public List<AdminRoutes> routes(NodeInfo node, JsonObject config) {
    return enabled(config) ? List.of(router -> mount(node, router)) : List.of();
  }

  /** True when the node should mount the echo (config {@code bench.echo}). */
  private static boolean enabled(JsonObject config) {
    Object v = config.getJsonObject("bench", new JsonObject()).getValue("echo");
    return v != null && ("true".equalsIgnoreCase(v.toString()) || "1".equals(v.toString()));
  }

  private static void mount(NodeInfo node, Router router) {
    node.vertx().eventBus().<JsonObject>consumer(ADDRESS_PREFIX + node.id(), m -> m.reply(m.body()));
    // The game's reward service, as every deployment has one: without it claimed grants pile up in
    // the outbox and the relay retries them all, load a real cluster does not carry.
    node.vertx().eventBus().<JsonObject>consumer(MailAddresses.REWARD_GRANT.address(), m -> m.reply(new JsonObject()));
    router.get("/internal/bench/echo").handler(rc -> Http.respond(rc, 200, r -> echo(node.vertx(), r)));
  }

  private static Future<JsonObject> echo(Vertx vertx, RoutingContext rc) {
    String to = rc.queryParams().get("to");
    int n = intParam(rc, "n", 1000, MAX_N);
    int bytes = intParam(rc, "bytes", 200, MAX_BYTES);
    if (to == null || to.isEmpty()) {
      throw ErrorCode.BAD_REQUEST.error("to (a node id) is required");
    }
    JsonObject body = new JsonObject().put("p", "x".repeat(bytes));
    long[] rtt = new long[n];
    Promise<Void> done = Promise.promise();
    next(vertx, ADDRESS_PREFIX + to, body, rtt, 0, done);
    return done.future().map(v -> {
      JsonArray a = new JsonArray();
      for (long r : rtt) {
        a.add(r);
      }
      return new JsonObject().put("to", to).put("n", n).put("bytes", bytes).put("rttMicros", a);
    });
  }

  private static void next(Vertx vertx, String address, JsonObject body, long[] rtt, int i, Promise<Void> done) {
    if (i == rtt.length) {
      done.complete();
      return;
    }
    long t0 = System.nanoTime();
    vertx.eventBus().request(address, body, new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MS))
        .onFailure(done::tryFail)
        .onSuccess(m -> {
          rtt[i] = (System.nanoTime() - t0) / 1000;
          next(vertx, address, body, rtt, i + 1, done);
        });
  }

  private static int intParam(RoutingContext rc, String name, int dflt, int max) {
    String v = rc.queryParams().get(name);
    try {
      int n = v == null ? dflt : Integer.parseInt(v);
      if (n < 0 || n > max) {
        throw ErrorCode.BAD_REQUEST.error(name + " must be between 0 and " + max);
      }
      return n;
    } catch (NumberFormatException e) {
      throw ErrorCode.BAD_REQUEST.error(name + " must be a whole number");
    }
  }
}
