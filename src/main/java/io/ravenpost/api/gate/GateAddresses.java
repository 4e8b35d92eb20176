package io.ravenpost.api.gate;

import io.ravenpost.api.Endpoint;

/**
 * The gate's one address per node ({@code raven.gate.<nodeId>}): pushes and kicks for its sessions,
 * and online global mail for its players, told apart by the {@link GateAction} header. Never one
 * registration per session: Hazelcast subscriptions per session melt clusters.
 */
public final class GateAddresses {
  public static final String PREFIX = "raven.gate.";

  private GateAddresses() {
  }

  /** The gate address of node {@code nodeId}. */
  public static String of(String nodeId) {
    return PREFIX + nodeId;
  }

  public static Endpoint<Push, Void> push(String nodeId) {
    return Endpoint.of(of(nodeId), Push.CODEC, null);
  }

  public static Endpoint<Pushes, Void> pushes(String nodeId) {
    return Endpoint.of(of(nodeId), Pushes.CODEC, null);
  }

  public static Endpoint<Kick, Released> kick(String nodeId) {
    return Endpoint.of(of(nodeId), Kick.CODEC, Released.CODEC);
  }

  public static Endpoint<Broadcast, BroadcastReply> broadcast(String nodeId) {
    return Endpoint.of(of(nodeId), Broadcast.CODEC, BroadcastReply.CODEC);
  }
}
