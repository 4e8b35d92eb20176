package io.ravenpost.online;

import io.ravenpost.api.Addresses;
import io.ravenpost.api.KickReason;
import io.ravenpost.common.Bus;
import io.ravenpost.common.Fields;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/** The registry's services on the event bus: lookups and kicks for the admin API and other services. */
public final class OnlineStateVerticle extends VerticleBase {
  private static final long KICK_TIMEOUT_MS = 5000;

  private final OnlineState online;
  private final MessageRouter router;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();

  public OnlineStateVerticle(OnlineState online, MessageRouter router) {
    this.online = online;
    this.router = router;
  }

  @Override
  public Future<?> start() {
    consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.ONLINE_LOOKUP, m -> Bus.answer(m, this::lookup)));
    consumers.add(vertx.eventBus().<JsonObject>consumer(Addresses.ONLINE_KICK, m -> Bus.answer(m, this::kick)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  private Future<JsonObject> lookup(JsonObject req) {
    long uid = Fields.requireLong(req, "uid");
    return online.live(uid).map(e -> e == null ? new JsonObject().put("online", false)
        : new JsonObject().put("online", true).put("node", e.node()).put("sessionId", e.sessionId())
            .put("since", e.since()));
  }

  /** Kicks wherever the session is; an entry left by a dead node is simply dropped. */
  private Future<JsonObject> kick(JsonObject req) {
    long uid = Fields.requireLong(req, "uid");
    KickReason reason = KickReason.parse(req.getString("reason"), KickReason.ADMIN);
    return online.lookup(uid).compose(e -> {
      if (e == null) {
        return Future.succeededFuture(new JsonObject().put("kicked", false));
      }
      return online.nodeAlive(e.node()).compose(alive -> alive
          ? router.kick(e, reason, KICK_TIMEOUT_MS).map(k -> new JsonObject().put("kicked", true))
          : online.release(uid, e.node(), e.sessionId(), e.epoch()).map(r -> new JsonObject().put("kicked", r)));
    });
  }
}
