package io.ravenpost.online.impl;

import io.ravenpost.api.KickReason;
import io.ravenpost.api.gate.GateAddresses;
import io.ravenpost.api.gate.Kick;
import io.ravenpost.api.gate.Push;
import io.ravenpost.api.gate.Pushes;
import io.ravenpost.common.Bus;
import io.ravenpost.online.Entry;
import io.ravenpost.online.MessageRouter;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes and kicks over the event bus to the owner's node address (one address per node), kicks
 * falling back to the registry's store when that node does not answer.
 */
public final class EventBusRouter implements MessageRouter {
  private static final Logger LOG = LoggerFactory.getLogger(EventBusRouter.class);
  private static final DeliveryOptions PUSHES = new DeliveryOptions();

  private final Vertx vertx;
  private final OnlineState online;

  public EventBusRouter(Vertx vertx, OnlineState online) {
    this.vertx = vertx;
    this.online = online;
  }

  @Override
  public void pushAll(Map<Entry, List<JsonObject>> frames) {
    Map<String, List<Push>> byNode = new HashMap<>();
    frames.forEach((owner, list) -> list.forEach(f -> byNode.computeIfAbsent(owner.node(), k -> new ArrayList<>())
        .add(new Push(owner.sessionId(), f))));
    byNode.forEach((node, pushes) -> Bus.send(vertx, GateAddresses.pushes(node), new Pushes(pushes), PUSHES));
  }

  @Override
  public Future<Kicked> kick(Entry owner, KickReason reason, long timeoutMs) {
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(timeoutMs);
    return Bus.request(vertx, GateAddresses.kick(owner.node()),
            new Kick(owner.uid(), owner.sessionId(), reason, owner.epoch()), opts)
        .map(r -> Kicked.RELEASED)
        .recover(t -> {
          LOG.info("kick of uid={} session={} on {} over the event bus failed ({}); asking through Redis",
              owner.uid(), owner.sessionId(), owner.node(), t.getMessage());
          return online.evictions().request(owner).map(v -> Kicked.EVICTION_REQUESTED);
        });
  }
}
