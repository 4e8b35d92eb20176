package io.ravenpost.online;

import io.ravenpost.api.online.OnlineChanged;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The account → session registry, cluster-wide (the online-state design): one session per account, whichever
 * node it is on. Every write is atomic in the store, so no interleaving of logins, kicks, closes
 * and node deaths can leave two owners for a uid. A node is alive while its {@link NodeLease} is;
 * an entry of a dead node is stale, returned by {@link #lookup} as it is and ignored by
 * {@link #live}. One instance per node, shared by its verticles.
 */
public interface OnlineState {
  /**
   * One claim attempt for {@code sessionId} on {@code node}; never waits for anybody. Claims over a
   * stale entry of a dead node; when a live session owns the uid, says which.
   */
  Future<ClaimResult> tryClaim(long uid, String node, String sessionId);

  /**
   * Compare-and-delete: true when this node and session still owned the uid under {@code epoch}
   * (0: under any epoch) and now do not. With the epoch, a late release of an entry never removes
   * the entry the same session claimed after it.
   */
  Future<Boolean> release(long uid, String node, String sessionId, long epoch);

  /** The entry for a uid, or null; an entry of a dead node is returned as it is. */
  Future<Entry> lookup(long uid);

  /** The entry for a uid only if its node is alive, else null. */
  Future<Entry> live(long uid);

  Future<Boolean> nodeAlive(String nodeId);

  /**
   * The gate nodes holding a lease now, each with its sessions as its last renewal counted them
   * (null for a moment after Redis lost the lease and a login put it back).
   */
  Future<Map<String, Long>> sessionsByNode();

  /** The nodes holding a lease now: the gate nodes that hold sessions. */
  Future<List<String>> liveNodes();

  /** Online state of many uids at once. */
  Future<Map<Long, Boolean>> onlineMany(List<Long> uids);

  /** The entries of many uids whose node is alive, in two pipelined round trips. */
  Future<Map<Long, Entry>> liveEntries(Collection<Long> uids);

  /** The entries of many uids whatever their node's state (absent: no entry). */
  Future<Map<Long, Entry>> entriesOf(Collection<Long> uids);

  /** Every entry of buckets {@code from} (inclusive) to {@code to}, live or not; for fan-outs. */
  Future<List<Entry>> entries(int from, int to);

  /** Removes the entries of dead nodes from every bucket; returns the entries dropped (their players went offline). */
  Future<List<Entry>> sweepStale();

  /**
   * Retires the earlier incarnations of a node (runtime ids starting with {@code prefix}, other than
   * {@code self}): their leases are deleted, so their entries are stale at once, and those entries
   * are dropped; returns them.
   */
  Future<List<Entry>> retire(String prefix, String self);

  /** The number of entries (all buckets); for stats and previews, not for hot paths. */
  Future<Long> countEntries();

  int buckets();

  /** Publishes {@code change} cluster-wide (watches wake on it). */
  void announce(OnlineChanged change);

  /**
   * This node's lease: while it is held the node's entries are live.
   *
   * @param sessions the node's session count, shown in stats
   * @param onLost   the lease was found gone (the store lost it): re-assert the sessions' entries
   * @param onFenced the lease could not be renewed and may run out: close every session now
   */
  NodeLease lease(LongSupplier sessions, Runnable onLost, Runnable onFenced);

  /** Kicks asked of this node through the store, for nodes the event bus cannot reach. */
  Evictions evictions();
}
