package io.ravenpost.gate;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Headers;
import io.ravenpost.api.KickReason;
import io.ravenpost.api.gate.Broadcast;
import io.ravenpost.api.gate.BroadcastReply;
import io.ravenpost.api.gate.GateAction;
import io.ravenpost.api.gate.GateAddresses;
import io.ravenpost.api.gate.Kick;
import io.ravenpost.api.gate.Push;
import io.ravenpost.api.gate.Pushes;
import io.ravenpost.api.gate.Released;
import io.ravenpost.common.Bus;
import io.ravenpost.common.Errors;
import io.ravenpost.online.Evictions;
import io.ravenpost.online.NodeLease;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;

/**
 * What reaches this node for its sessions: {@link Push} and {@link Kick} on the node's one
 * address, and kicks asked through the registry's store when the event bus could not reach us.
 */
final class NodeInbox {
  private final String nodeId;
  private final OnlineState online;
  private final SessionTable sessions;
  private final NodeLease lease;
  private final Evictions evictions;
  private final Broadcasts broadcasts;
  private MessageConsumer<JsonObject> consumer;

  NodeInbox(String nodeId, OnlineState online, SessionTable sessions, NodeLease lease, Broadcasts broadcasts) {
    this.broadcasts = broadcasts;
    this.nodeId = nodeId;
    this.online = online;
    this.sessions = sessions;
    this.lease = lease;
    this.evictions = online.evictions();
  }

  /** Listens on both paths; completes once the address is registered cluster-wide. */
  Future<Void> start(Vertx vertx) {
    consumer = vertx.eventBus().consumer(GateAddresses.of(nodeId), this::onMessage);
    return evictions.start((uid, sid) -> kick(uid, sid, KickReason.LOGIN_ELSEWHERE, 0))
        .compose(v -> consumer.completion());
  }

  Future<Void> stop() {
    return Future.join(consumer.unregister(), evictions.stop()).mapEmpty();
  }

  private void onMessage(Message<JsonObject> msg) {
    GateAction action = GateAction.of(msg.headers().get(Headers.ACTION));
    try {
      if (action == null) {
        throw ErrorCode.BAD_REQUEST.error("unknown gate action " + msg.headers().get(Headers.ACTION));
      }
      switch (action) {
        // Sent one by one by nodes of an earlier version, still in the cluster during a rolling upgrade.
        case PUSH -> push(Push.CODEC.decode(msg.body(), msg.headers()));
        case PUSHES -> Pushes.CODEC.decode(msg.body(), msg.headers()).pushes().forEach(this::push);
        case KICK -> {
          Kick k = Kick.CODEC.decode(msg.body(), msg.headers());
          Bus.reply(msg, Released.CODEC, kick(k.uid(), k.sessionId(), k.reason(), k.epoch()).map(Released::new));
        }
        case BROADCAST -> Bus.reply(msg, BroadcastReply.CODEC,
            broadcasts.deliver(Broadcast.CODEC.decode(msg.body(), msg.headers())));
        default -> throw ErrorCode.BAD_REQUEST.error("unknown gate action " + action);
      }
    } catch (RuntimeException e) {
      if (msg.replyAddress() != null) {
        Errors.fail(msg, e);
      }
    }
  }

  private void push(Push push) {
    Session s = sessions.get(push.sessionId());
    if (s != null && s.online() && !lease.lapsed()) {
      s.push(push.frame());
    }
  }

  /**
   * Kicks that session if it is here and holds (or is still claiming) the entry the kicker saw;
   * an entry whose session is gone is released all the same.
   */
  private Future<Boolean> kick(long uid, String sessionId, KickReason reason, long epoch) {
    Session s = sessions.get(sessionId);
    // s.epoch < epoch: this session's claim of that entry is still on its way back (login or
    // reclaim not applied yet); it owns the entry all the same and must be kicked, not left
    // online without it. Only a session already holding a newer entry is spared.
    if (s != null && s.uid == uid && (epoch == 0 || s.epoch <= epoch)) {
      return sessions.kick(s, reason);
    }
    return online.release(uid, nodeId, sessionId, epoch);
  }
}
