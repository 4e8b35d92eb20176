package io.ravenpost.online.impl;

import io.ravenpost.api.online.OnlineAddresses;
import io.ravenpost.api.online.OnlineChanged;
import io.ravenpost.common.Bus;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.online.ClaimResult;
import io.ravenpost.online.Entry;
import io.ravenpost.online.Evictions;
import io.ravenpost.online.NodeLease;
import io.ravenpost.online.OnlineConfig;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The registry in Redis: bucketed hashes {@code online:{uid % buckets}}, field uid, value
 * {@code node|session|epoch|since}. Every write is one Lua script ({@link OnlineKeys}).
 */
public final class RedisOnlineState implements OnlineState {
  private final NodeInfo node;
  private final Stores stores;
  private final OnlineConfig cfg;
  private final OnlineKeys keys;
  private final RedisEvictions evictions;
  private final StaleSweep sweep;

  public RedisOnlineState(NodeInfo node, Stores stores, OnlineConfig cfg) {
    this.node = node;
    this.stores = stores;
    this.cfg = cfg;
    this.keys = new OnlineKeys(stores, cfg);
    this.evictions = new RedisEvictions(this);
    this.sweep = new StaleSweep(stores, keys);
  }

  @Override
  public void announce(OnlineChanged change) {
    Bus.publish(node.vertx(), OnlineAddresses.CHANGED, change);
  }

  @Override
  public NodeLease lease(LongSupplier sessions, Runnable onLost, Runnable onFenced) {
    return new RedisNodeLease(this, sessions, onLost, onFenced);
  }

  @Override
  public Evictions evictions() {
    return evictions;
  }

  /** One claim attempt for {@code sessionId} on {@code node}; never waits for anybody. */
  @Override
  public Future<ClaimResult> tryClaim(long uid, String node, String sessionId) {
    long now = System.currentTimeMillis();
    return stores.redis().eval(List.of(OnlineKeys.CLAIM, "2", keys.bucket(uid), keys.epoch(uid),
            Long.toString(uid), node + "|" + sessionId, Long.toString(now), keys.leasePrefixOf(uid), node,
            Long.toString(cfg.leaseMs())))
        .map(r -> {
          int status = r.get(0).toInteger();
          Entry other = OnlineKeys.entry(uid, r.get(2).toString());
          return switch (status) {
            case 1 -> new ClaimResult(OnlineKeys.entry(uid, r.get(1).toString()), null, null);
            case 2 -> new ClaimResult(OnlineKeys.entry(uid, r.get(1).toString()), null, other);
            default -> new ClaimResult(null, other, null);
          };
        });
  }

  @Override
  public Future<Boolean> release(long uid, String node, String sessionId, long epoch) {
    return stores.redis().eval(List.of(OnlineKeys.RELEASE, "1", keys.bucket(uid), Long.toString(uid),
            OnlineKeys.owner(node, sessionId, epoch)))
        .map(r -> r.toInteger() == 1);
  }

  /** The entry for a uid, or null. An entry of a dead node is returned as it is; see {@link #live}. */
  @Override
  public Future<Entry> lookup(long uid) {
    return stores.redis().hget(keys.bucket(uid), Long.toString(uid))
        .map(r -> r == null ? null : OnlineKeys.entry(uid, r.toString()));
  }

  /** The entry for a uid only if its node is alive, else null. */
  @Override
  public Future<Entry> live(long uid) {
    return lookup(uid).compose(e -> e == null ? Future.succeededFuture(null)
        : nodeAlive(e.node()).map(alive -> alive ? e : null));
  }

  @Override
  public Future<Boolean> nodeAlive(String nodeId) {
    return stores.redis().exists(List.of(keys.lease(nodeId))).map(r -> r.toInteger() == 1);
  }

  /**
   * Only nodes that renewed lately are asked about: one that has not renewed for many lease
   * periods cannot hold a lease, and the set still names nodes dead since the last sweep.
   */
  @Override
  public Future<List<String>> liveNodes() {
    long since = System.currentTimeMillis() - keys.silentFor();
    return stores.redis().zrangebyscore(List.of(keys.nodes(), Long.toString(since), "+inf")).compose(r -> {
      List<String> nodes = new ArrayList<>();
      r.forEach(n -> nodes.add(n.toString()));
      return alive(nodes).map(alive -> nodes.stream().filter(alive::get).toList());
    });
  }

  @Override
  public Future<Map<String, Long>> sessionsByNode() {
    return stores.redis().zrange(List.of(keys.nodes(), "0", "-1")).compose(r -> {
      List<String> nodes = new ArrayList<>();
      r.forEach(n -> nodes.add(n.toString()));
      return batch(nodes.stream().map(n -> Request.cmd(Command.GET).arg(keys.lease(n))).toList()).map(leases -> {
        Map<String, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
          Response v = leases.get(i);
          if (v != null) {
            long n = v.toLong();
            out.put(nodes.get(i), n < 0 ? null : n);
          }
        }
        return out;
      });
    });
  }

  /** Online state of many uids at once (see {@link #liveEntries}). */
  @Override
  public Future<Map<Long, Boolean>> onlineMany(List<Long> uids) {
    return liveEntries(uids).map(live -> {
      Map<Long, Boolean> out = new HashMap<>();
      uids.forEach(u -> out.put(u, live.containsKey(u)));
      return out;
    });
  }

  /**
   * The entries of many uids whose node is alive (uids offline or on a dead node are absent): one
   * pipelined round trip with an HMGET per bucket touched, one with an EXISTS per node seen.
   */
  @Override
  public Future<Map<Long, Entry>> liveEntries(Collection<Long> uids) {
    return entriesOf(uids).compose(found -> {
      List<String> nodes = found.values().stream().map(Entry::node).distinct().toList();
      return alive(nodes).map(aliveByNode -> {
        Map<Long, Entry> out = new HashMap<>();
        found.values().stream().filter(e -> aliveByNode.get(e.node())).forEach(e -> out.put(e.uid(), e));
        return out;
      });
    });
  }

  /** Whether each node's lease exists: one pipelined round trip. */
  private Future<Map<String, Boolean>> alive(List<String> nodes) {
    return batch(nodes.stream().map(n -> Request.cmd(Command.EXISTS).arg(keys.lease(n))).toList()).map(r -> {
      Map<String, Boolean> out = new HashMap<>();
      for (int i = 0; i < nodes.size(); i++) {
        out.put(nodes.get(i), r.get(i).toInteger() == 1);
      }
      return out;
    });
  }

  /** The entries of many uids whatever their node's state: one HMGET per bucket, pipelined. */
  @Override
  public Future<Map<Long, Entry>> entriesOf(Collection<Long> uids) {
    Map<String, List<Long>> byBucket = new LinkedHashMap<>();
    for (Long uid : uids) {
      byBucket.computeIfAbsent(keys.bucket(uid), k -> new ArrayList<>()).add(uid);
    }
    List<List<Long>> groups = new ArrayList<>(byBucket.values());
    List<Request> reads = new ArrayList<>();
    byBucket.forEach((bucket, members) -> {
      Request r = Request.cmd(Command.HMGET).arg(bucket);
      members.forEach(u -> r.arg(Long.toString(u)));
      reads.add(r);
    });
    return batch(reads).map(rs -> {
      Map<Long, Entry> out = new HashMap<>();
      for (int b = 0; b < groups.size(); b++) {
        for (int i = 0; i < groups.get(b).size(); i++) {
          Response v = rs.get(b).get(i);
          Entry e = v == null ? null : OnlineKeys.entry(groups.get(b).get(i), v.toString());
          if (e != null) {
            out.put(e.uid(), e);
          }
        }
      }
      return out;
    });
  }

  private Future<List<Response>> batch(List<Request> requests) {
    return stores.redisBatch(requests);
  }

  @Override
  public Future<List<Entry>> sweepStale() {
    return sweep.sweepStale();
  }

  @Override
  public Future<List<Entry>> retire(String prefix, String self) {
    return sweep.retire(prefix, self);
  }

  /**
   * Every entry of buckets {@code from} (inclusive) to {@code to}, whichever node holds it (check
   * {@link #nodeAlive}), in one pipelined round trip; for fan-outs to everyone online.
   */
  @Override
  public Future<List<Entry>> entries(int from, int to) {
    List<Request> reads = new ArrayList<>();
    for (int b = from; b < to; b++) {
      reads.add(Request.cmd(Command.HGETALL).arg(keys.bucketKey(b)));
    }
    return batch(reads).map(all -> {
      List<Entry> out = new ArrayList<>();
      for (Response bucket : all) {
        for (String field : bucket.getKeys()) {
          Entry e = OnlineKeys.entry(Long.parseLong(field), bucket.get(field).toString());
          if (e != null) {
            out.add(e);
          }
        }
      }
      return out;
    });
  }

  @Override
  public int buckets() {
    return keys.buckets();
  }

  /** The number of registry entries (all buckets); for stats, not for hot paths. */
  @Override
  public Future<Long> countEntries() {
    List<Future<Response>> lens = new ArrayList<>();
    for (int i = 0; i < keys.buckets(); i++) {
      lens.add(stores.redis().hlen(keys.bucketKey(i)));
    }
    return Future.all(lens).map(cf -> {
      long n = 0;
      for (int i = 0; i < cf.size(); i++) {
        n += cf.<Response>resultAt(i).toLong();
      }
      return n;
    });
  }

  NodeInfo node() {
    return node;
  }

  Stores stores() {
    return stores;
  }

  OnlineConfig config() {
    return cfg;
  }

  OnlineKeys keys() {
    return keys;
  }
}
