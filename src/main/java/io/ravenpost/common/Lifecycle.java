package io.ravenpost.common;

/**
 * How this node is going away. A graceful stop says goodbye (sessions told SHUTDOWN, registry
 * entries released, held watches answered); a node that halts leaves everything as a killed
 * process would, and its stop methods skip every goodbye.
 */
public interface Lifecycle {
  /** A node that only ever stops gracefully. */
  Lifecycle GRACEFUL = () -> false;

  /** True while the node is halting: no goodbye must reach Redis, MySQL or a client. */
  boolean halting();
}
