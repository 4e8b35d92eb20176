package io.ravenpost.online;

import io.vertx.core.Future;

/**
 * A node is alive while its lease is held. A killed node's sessions become stale within one lease
 * time and never block a login; a node that cannot renew closes its sessions before the lease can
 * run out for the others (fencing), so one account never has two live sessions.
 */
public interface NodeLease {
  /** Takes the lease and keeps renewing it; completes once it is held. */
  Future<Void> start();

  /** Stops renewing; with {@code release} the lease is deleted at once (graceful stop). */
  Future<Void> stop(boolean release);

  /** True while this node may not hold sessions: its lease may already be gone for the others. */
  boolean fenced();

  /**
   * Checks the lease now and fences at once if it ran out. Called before every request and push:
   * after a pause (GC, a stopped VM) buffered frames can be read before a periodic check runs.
   */
  boolean lapsed();
}
