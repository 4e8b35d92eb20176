package io.ravenpost.gate;

import io.ravenpost.api.Addresses;
import io.ravenpost.api.Broadcast;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Headers;
import io.ravenpost.api.Kick;
import io.ravenpost.api.KickReason;
import io.ravenpost.api.Push;
import io.ravenpost.api.Pushes;
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
    consumer = vertx.eventBus().consumer(Addresses.gate(nodeId), this::onMessage);
    return evictions.start((uid, sid) -> kick(uid, sid, KickReason.LOGIN_ELSEWHERE, 0))
        .compose(v -> consumer.completion());
  }

  Future<Void> stop() {
    return Future.join(consumer.unregister(), evictions.stop()).mapEmpty();
  }

  private void onMessage(Message<JsonObject> msg) {
    String action = msg.headers().get(Headers.ACTION);
    if (Push.ACTION.equals(action)) {
      // Sent one by one by nodes of an earlier version, still in the cluster during a rolling upgrade.
      push(Push.fromJson(msg.body()));
    } else if (Pushes.ACTION.equals(action)) {
      Pushes.fromJson(msg.body()).pushes().forEach(this::push);
    } else if (Kick.ACTION.equals(action)) {
      Kick k = Kick.fromJson(msg.body());
      kick(k.uid(), k.sessionId(), k.reason(), k.epoch()).onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(new JsonObject().put("released", ar.result()));
        } else {
          Errors.fail(msg, ar.cause());
        }
      });
    } else if (Broadcast.ACTION.equals(action)) {
      broadcasts.deliver(Broadcast.fromJson(msg.body())).onComplete(ar -> {
        if (ar.succeeded()) {
          msg.reply(ar.result());
        } else {
          Errors.fail(msg, ar.cause());
        }
      });
    } else {
      msg.fail(ErrorCode.BAD_REQUEST.replyCode(), "unknown gate action " + action);
    }
  }

  private void push(Push push) {
    Session s = sessions.get(push.sessionId());
    if (s != null && s.online() && !lease.lapsed()) {
      s.push(push.frame());
    }
  }

  /**
   * Kicks that session if it is here and still holds the entry the kicker saw; an entry whose
   * session is gone is released all the same.
   */
  private Future<Boolean> kick(long uid, String sessionId, KickReason reason, long epoch) {
    Session s = sessions.get(sessionId);
    if (s != null && s.uid == uid && (epoch == 0 || s.epoch == epoch)) {
      return sessions.kick(s, reason);
    }
    return online.release(uid, nodeId, sessionId, epoch);
  }
}
