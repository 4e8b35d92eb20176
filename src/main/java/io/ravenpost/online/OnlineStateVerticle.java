package io.ravenpost.online;

import io.ravenpost.common.Bus;
import io.ravenpost.common.Fields;
import io.ravenpost.common.NodeContext;
import io.ravenpost.gate.GateAddresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The registry's services on the event bus: lookups and kicks for the admin API and other services. */
public final class OnlineStateVerticle extends VerticleBase {
  private final NodeContext ctx;
  private final OnlineRegistry registry;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  public OnlineStateVerticle(NodeContext ctx) {
    this.ctx = ctx;
    this.registry = new OnlineRegistry(ctx);
  }

  @Override
  public Future<?> start() {
    consumers.add(vertx.eventBus().<JsonObject>consumer(OnlineAddresses.LOOKUP, m -> Bus.answer(m, this::lookup)));
    consumers.add(vertx.eventBus().<JsonObject>consumer(OnlineAddresses.KICK, m -> Bus.answer(m, this::kick)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  private Future<JsonObject> lookup(JsonObject req) {
    long uid = Fields.requireLong(req, "uid");
    return registry.live(uid).map(e -> e == null ? new JsonObject().put("online", false)
        : new JsonObject().put("online", true).put("node", e.node()).put("sessionId", e.sessionId())
            .put("since", e.since()));
  }

  /** Kicks wherever the session is; an entry left by a dead node is simply dropped. */
  private Future<JsonObject> kick(JsonObject req) {
    long uid = Fields.requireLong(req, "uid");
    String reason = req.getString("reason", "ADMIN");
    return registry.lookup(uid).compose(e -> {
      if (e == null) {
        return Future.succeededFuture(new JsonObject().put("kicked", false));
      }
      return registry.nodeAlive(e.node()).compose(alive -> alive
          ? vertx.eventBus().<JsonObject>request(GateAddresses.node(e.node()),
              new JsonObject().put("uid", uid).put("sessionId", e.sessionId()).put("reason", reason),
              new DeliveryOptions().addHeader(GateAddresses.ACTION, GateAddresses.KICK).setSendTimeout(5000))
              .map(m -> new JsonObject().put("kicked", true))
          : registry.release(uid, e.node(), e.sessionId()).map(r -> new JsonObject().put("kicked", r)));
    });
  }
}
