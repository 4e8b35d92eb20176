package io.ravenpost.online;

import io.ravenpost.api.UidQuery;
import io.ravenpost.api.online.KickUid;
import io.ravenpost.api.online.Kicked;
import io.ravenpost.api.online.OnlineAddresses;
import io.ravenpost.api.online.OnlineStatus;
import io.ravenpost.common.Bus;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
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
    consumers.add(Bus.serve(vertx, OnlineAddresses.LOOKUP, null, (q, h) -> lookup(q)));
    consumers.add(Bus.serve(vertx, OnlineAddresses.KICK, null, (k, h) -> kick(k)));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  private Future<OnlineStatus> lookup(UidQuery q) {
    return online.live(q.uid()).map(e -> e == null ? OnlineStatus.OFFLINE
        : new OnlineStatus(true, e.node(), e.sessionId(), e.since()));
  }

  /** Kicks wherever the session is; an entry left by a dead node is simply dropped. */
  private Future<Kicked> kick(KickUid k) {
    return online.lookup(k.uid()).compose(e -> {
      if (e == null) {
        return Future.succeededFuture(new Kicked(false));
      }
      return online.nodeAlive(e.node()).compose(alive -> alive
          ? router.kick(e, k.reason(), KICK_TIMEOUT_MS).map(r -> new Kicked(true))
          : online.release(k.uid(), e.node(), e.sessionId(), e.epoch()).map(Kicked::new));
    });
  }
}
