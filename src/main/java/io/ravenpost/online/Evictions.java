package io.ravenpost.online;

import io.vertx.core.Future;

/**
 * The kick's second path, through the registry's store, for a node the event bus cannot reach
 * (a partition, a member the cluster removed, halves not merged yet) while its lease is alive.
 */
public interface Evictions {
  /** What the owner does with one eviction: kick that session if it is still there. */
  interface Handler {
    void evict(long uid, String sessionId);
  }

  /** Asks {@code owner}'s node to kick that session. */
  Future<Void> request(Entry owner);

  /** Starts taking this node's evictions; completes once it listens. */
  Future<Void> start(Handler handler);

  Future<Void> stop();
}
