package io.ravenpost.watch;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.api.online.OnlineAddresses;
import io.ravenpost.api.watch.WatchAddresses;
import io.ravenpost.common.Bus;
import io.ravenpost.common.Lifecycle;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds this node's long-poll watches (unread counts and presence, {@link WatchAddresses}).
 * No thread and no polling per watch: parked replies keyed by uid, woken by the cluster-wide
 * change feeds. Deployed with the {@code online} role; on a graceful stop every held watch is
 * answered UNAVAILABLE so its caller retries on another node.
 */
public final class WatchVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(WatchVerticle.class);

  private final NodeInfo node;
  private final Lifecycle lifecycle;
  private final WatchConfig cfg;
  private final OnlineState online;
  private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
  private HeldWatches held;

  public WatchVerticle(NodeInfo node, Lifecycle lifecycle, WatchConfig cfg, OnlineState online) {
    this.node = node;
    this.lifecycle = lifecycle;
    this.cfg = cfg;
    this.online = online;
  }

  @Override
  public Future<?> start() {
    held = new HeldWatches(vertx, cfg, node.metrics());
    UnreadWatches unread = new UnreadWatches(vertx, cfg, held);
    PresenceWatches presence = new PresenceWatches(cfg, held, online);
    consumers.add(Bus.serve(vertx, WatchAddresses.UNREAD, null, (q, h) -> unread.onWatch(q)));
    consumers.add(Bus.subscribe(vertx, MailAddresses.UNREAD_CHANGED, unread::onChanged));
    consumers.add(Bus.serve(vertx, OnlineAddresses.CLIENT, null, (r, h) -> presence.onClient(r)));
    consumers.add(Bus.serve(vertx, WatchAddresses.PRESENCE, null, (q, h) -> presence.onService(q)));
    consumers.add(Bus.subscribe(vertx, OnlineAddresses.CHANGED, presence::onChanged));
    consumers.add(Bus.subscribe(vertx, WatchAddresses.CANCEL, c -> {
      if (c.ref() != null) {
        held.cancel(c.ref());
      }
    }));
    consumers.add(Bus.subscribe(vertx, WatchAddresses.SWEEP, v -> presence.sweep()
        .onSuccess(n -> {
          if (n > 0) {
            LOG.info("node {} dropped {} watches of sessions that are gone", node.id(), n);
          }
        })
        .onFailure(t -> LOG.warn("watch sweep on node {} failed: {}", node.id(), t.toString()))));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /** Stops taking watches, then answers the held ones UNAVAILABLE (or, after a crash, forgets them). */
  @Override
  public Future<?> stop() {
    List<Future<Void>> unregistered = consumers.stream().map(MessageConsumer::unregister).toList();
    int n = held.size();
    if (lifecycle.halting()) {
      held.dropAll();
    } else {
      held.failAll(ErrorCode.UNAVAILABLE.error("the node holding this watch is shutting down; retry"));
      LOG.info("node {} stopping: {} held watches answered UNAVAILABLE", node.id(), n);
    }
    return Future.join(unregistered).recover(t -> Future.succeededFuture());
  }
}
