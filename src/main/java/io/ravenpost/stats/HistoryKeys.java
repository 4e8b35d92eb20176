package io.ravenpost.stats;

import io.ravenpost.common.Stores;

/**
 * The history's Redis keys: one list per node, newest sample first, trimmed to
 * {@code stats.historyPoints} and expiring a span after its last sample, so a node that is gone
 * leaves nothing behind; and a sorted set of the nodes that sampled, scored by their last sample.
 */
final class HistoryKeys {
  private final Stores stores;

  HistoryKeys(Stores stores) {
    this.stores = stores;
  }

  String node(String nodeId) {
    return stores.key("stats:history:" + nodeId);
  }

  String nodes() {
    return stores.key("stats:history:nodes");
  }
}
