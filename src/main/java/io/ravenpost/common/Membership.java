package io.ravenpost.common;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.List;

/** The cluster as this node sees it: its members, and whether this node is still one of them. */
public interface Membership {
  /** Vert.x node ids of the cluster's current members (just this node when not clustered). */
  List<String> nodes();

  /** False once this node has lost or left its cluster. */
  boolean active();

  /**
   * {@code [{node, address, self, reachable, rttMs}]}, one per member: whether each one's event-bus
   * consumers answer from here (a ping that comes back reached it both ways).
   */
  Future<JsonArray> members();
}
