package io.ravenpost.online.impl;

import io.ravenpost.common.Stores;
import io.ravenpost.online.Entry;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Entries of nodes that are gone: the scheduler's sweep of every bucket, and a starting node's
 * retirement of its own earlier incarnations. Each entry is dropped by a script that checks the
 * node's lease (or its copy in the bucket's slot) in the same step, so a live node's entry stays.
 */
final class StaleSweep {
  private static final int SWEEP_BATCH = 64;

  private final Stores stores;
  private final OnlineKeys keys;

  StaleSweep(Stores stores, OnlineKeys keys) {
    this.stores = stores;
    this.keys = keys;
  }

  /**
   * Removes the entries of dead nodes from one bucket; returns the uids that went offline. Used
   * by the scheduler so that presence does not show players of a killed node as online.
   */
  public Future<List<Entry>> sweepStale() {
    Future<List<Entry>> chain = forgetSilentNodes().map(n -> new ArrayList<>());
    for (int from = 0; from < keys.buckets(); from += SWEEP_BATCH) {
      int start = from;
      chain = chain.compose(gone -> sweepBatch(start).map(more -> {
        gone.addAll(more);
        return gone;
      }));
    }
    return chain;
  }

  /** A batch of buckets at once: pipelined on the connection, bounded so a sweep never floods it. */
  private Future<List<Entry>> sweepBatch(int start) {
    List<Future<List<Entry>>> sweeps = new ArrayList<>();
    for (int b = start; b < Math.min(start + SWEEP_BATCH, keys.buckets()); b++) {
      sweeps.add(sweepBucket(b));
    }
    return Future.all(sweeps).map(cf -> {
      List<Entry> gone = new ArrayList<>();
      for (int i = 0; i < cf.size(); i++) {
        gone.addAll(cf.<List<Entry>>resultAt(i));
      }
      return gone;
    });
  }

  /**
   * Nodes silent for long are dead: they leave the set of nodes, with their eviction queues (their
   * lease copies expire by themselves). Their entries go in the sweep of the buckets that follows.
   */
  private Future<Integer> forgetSilentNodes() {
    String before = "(" + (System.currentTimeMillis() - keys.silentFor());
    return stores.redis().zrangebyscore(List.of(keys.nodes(), "-inf", before)).compose(silent -> {
      if (silent.size() == 0) {
        return Future.succeededFuture(0);
      }
      List<String> queues = new ArrayList<>();
      List<String> forget = new ArrayList<>(List.of(keys.nodes()));
      silent.forEach(n -> {
        queues.add(keys.evictions(n.toString()));
        forget.add(n.toString());
      });
      return stores.redis().del(queues).compose(v -> stores.redis().zrem(forget)).map(v -> silent.size());
    });
  }

  public Future<List<Entry>> retire(String prefix, String self) {
    return stores.redis().zrange(List.of(keys.nodes(), "0", "-1")).compose(nodes -> {
      List<String> earlier = new ArrayList<>();
      nodes.forEach(n -> {
        String id = n.toString();
        if (id.startsWith(prefix) && !id.equals(self)) {
          earlier.add(id);
        }
      });
      if (earlier.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      List<String> dead = new ArrayList<>();
      earlier.forEach(id -> {
        dead.addAll(List.of(keys.lease(id), keys.evictions(id)));
        dead.addAll(keys.leaseCopies(id));
      });
      List<String> forget = new ArrayList<>(List.of(keys.nodes()));
      forget.addAll(earlier);
      return stores.redis().del(dead).compose(v -> stores.redis().zrem(forget)).compose(v -> sweepStale());
    });
  }

  private Future<List<Entry>> sweepBucket(int bucket) {
    String key = keys.bucketKey(bucket);
    return stores.redis().hgetall(key).compose(all -> {
      List<Future<Entry>> drops = new ArrayList<>();
      for (String field : all.getKeys()) {
        Entry e = OnlineKeys.entry(Long.parseLong(field), all.get(field).toString());
        drops.add(stores.redis().eval(List.of(OnlineKeys.DROP_STALE, "1", key, field, keys.leasePrefixOfBucket(bucket)))
            .map(r -> r.toInteger() == 1 ? e : null));
      }
      return Future.all(drops).map(cf -> {
        List<Entry> gone = new ArrayList<>();
        for (int i = 0; i < cf.size(); i++) {
          Entry e = cf.resultAt(i);
          if (e != null) {
            gone.add(e);
          }
        }
        return gone;
      });
    });
  }
}
