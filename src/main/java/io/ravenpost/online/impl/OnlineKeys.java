package io.ravenpost.online.impl;

import io.ravenpost.common.Stores;
import io.ravenpost.online.Entry;
import io.ravenpost.online.OnlineConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * Redis keys and scripts of the account registry. The registry is bucketed hashes with field uid
 * and value {@code node|session|epoch|since}; a node is alive while its lease key
 * {@code node:<id>} exists.
 *
 * <p>On one Redis the buckets are {@code online:{b}} and the scripts read the lease key itself. On a
 * Redis Cluster a script may only touch one slot, so buckets are grouped into {@link #CLUSTER_SHARDS}
 * registry shards, each a hash tag {@code {rS}} of its own: the shard holds its buckets
 * ({@code online:{rS}:b}), its epoch counter, and a copy of every node's lease
 * ({@code online:{rS}:node:<id>}) that the node renews together with its lease, with the same TTL. A
 * claim or sweep in that shard checks the copy in the same slot (see {@link RedisNodeLease} for why
 * this fences exactly like the lease).
 */
final class OnlineKeys {
  /**
   * Claim: the final "mark online" is HSETNX. When another entry is there and its node's lease
   * is gone, the entry is stale and is replaced in the same atomic step. Returns
   * {status, value}: 1 = claimed, 2 = claimed over a stale entry (value = the stale one),
   * 0 = owned by a live node (value = the owner's). ARGV[4] is what a node id is appended to for its
   * lease: the lease key itself on one Redis, the copy in this bucket's shard on a cluster.
   *
   * <p>The claiming node is alive (it runs this), so if Redis lost its lease (restarted empty) the
   * lease is put back, marked {@link #LEASE_RESTORED}: otherwise, until its next renewal, the new
   * session would count as stale, its pushes would be dropped and a login elsewhere would replace
   * it without a kick. The marker makes that renewal still see a loss and re-assert the rest.
   */
  static final String CLAIM = """
      local lease = ARGV[4] .. ARGV[5]
      if redis.call('EXISTS', lease) == 0 then
        redis.call('SET', lease, '-1', 'PX', ARGV[6])
      end
      local epoch = redis.call('INCR', KEYS[2])
      local mine = ARGV[2] .. '|' .. epoch .. '|' .. ARGV[3]
      if redis.call('HSETNX', KEYS[1], ARGV[1], mine) == 1 then
        return {1, mine, ''}
      end
      local cur = redis.call('HGET', KEYS[1], ARGV[1])
      local node = string.match(cur, '^([^|]*)|')
      if node == nil or redis.call('EXISTS', ARGV[4] .. node) == 0 then
        redis.call('HSET', KEYS[1], ARGV[1], mine)
        return {2, mine, cur}
      end
      return {0, '', cur}
      """;

  /** The lease value a claim writes when it finds its own node's lease gone (not a session count). */
  static final String LEASE_RESTORED = "-1";

  /** Compare-and-delete: removes the entry only while it still names this node and session. */
  static final String RELEASE = """
      local cur = redis.call('HGET', KEYS[1], ARGV[1])
      if cur and string.sub(cur, 1, string.len(ARGV[2])) == ARGV[2] then
        return redis.call('HDEL', KEYS[1], ARGV[1])
      end
      return 0
      """;

  /** Removes the entry only if its node's lease is gone (the stale-session sweep). */
  static final String DROP_STALE = """
      local cur = redis.call('HGET', KEYS[1], ARGV[1])
      if not cur then return 0 end
      local node = string.match(cur, '^([^|]*)|')
      if node == nil or redis.call('EXISTS', ARGV[2] .. node) == 0 then
        redis.call('HDEL', KEYS[1], ARGV[1])
        return 1
      end
      return 0
      """;

  /**
   * Registry shards on a Redis Cluster: enough slots to spread buckets over every master of a
   * usual cluster, few enough that a renewal (one copy per shard) stays cheap.
   */
  static final int CLUSTER_SHARDS = 32;

  private final Stores stores;
  private final OnlineConfig cfg;
  private final int buckets;
  private final boolean clustered;

  /** An entry from its stored value {@code node|session|epoch|since}; null for no or a malformed value. */
  static Entry entry(long uid, String value) {
    if (value == null || value.isEmpty()) {
      return null;
    }
    String[] p = value.split("\\|");
    if (p.length < 4) {
      return null;
    }
    return new Entry(uid, p[0], p[1], Long.parseLong(p[2]), Long.parseLong(p[3]));
  }

  /** The prefix a compare-and-delete matches: node, session and epoch (0: whatever the epoch). */
  static String owner(String node, String sessionId, long epoch) {
    return node + "|" + sessionId + "|" + (epoch > 0 ? epoch + "|" : "");
  }

  OnlineKeys(Stores stores, OnlineConfig cfg) {
    this.stores = stores;
    this.cfg = cfg;
    this.buckets = cfg.buckets();
    this.clustered = stores.redisClustered();
  }

  int buckets() {
    return buckets;
  }

  private int bucketOf(long uid) {
    return (int) Math.floorMod(uid, (long) buckets);
  }

  String bucket(long uid) {
    return bucketKey(bucketOf(uid));
  }

  String bucketKey(int i) {
    return clustered ? stores.key("online:" + shardTag(i) + ":" + i) : stores.key("online:{" + i + "}");
  }

  /** The hash tag of bucket {@code i}'s registry shard (cluster mode). */
  private static String shardTag(int bucket) {
    return "{r" + Math.floorMod(bucket, CLUSTER_SHARDS) + "}";
  }

  /** The counter a claim of {@code uid} draws its epoch from: per shard on a cluster (the epoch only orders one uid's entries). */
  String epoch(long uid) {
    return clustered ? stores.key("online:" + shardTag(bucketOf(uid)) + ":epoch") : stores.key("online:epoch");
  }

  String leasePrefix() {
    return stores.key("node:");
  }

  /** What a script in bucket {@code b}'s slot appends a node id to, to find that node's lease (or its copy). */
  String leasePrefixOfBucket(int bucket) {
    return clustered ? stores.key("online:" + shardTag(bucket) + ":node:") : leasePrefix();
  }

  String leasePrefixOf(long uid) {
    return leasePrefixOfBucket(bucketOf(uid));
  }

  String lease(String nodeId) {
    return leasePrefix() + nodeId;
  }

  /** The keys a renewal sets besides the lease: one copy per registry shard on a cluster, none on one Redis. */
  List<String> leaseCopies(String nodeId) {
    if (!clustered) {
      return List.of();
    }
    List<String> out = new ArrayList<>(CLUSTER_SHARDS);
    for (int s = 0; s < CLUSTER_SHARDS; s++) {
      out.add(leasePrefixOfBucket(s) + nodeId);
    }
    return out;
  }

  /** A node's queue of kicks asked through Redis ({@code uid|sessionId}), see {@link Evictions}. */
  String evictions(String nodeId) {
    return stores.key("evict:" + nodeId);
  }

  /** Nodes that held a lease, with the time each last renewed (for stats and sweeps); the sweep forgets dead ones. */
  String nodes() {
    return stores.key("nodes");
  }

  /**
   * How long a node may go without renewing before it is certainly dead: many lease periods, and at
   * least a minute, so that clocks a little apart between nodes never make a live node look silent.
   */
  long silentFor() {
    return Math.max(10 * cfg.leaseMs(), 60_000);
  }
}
