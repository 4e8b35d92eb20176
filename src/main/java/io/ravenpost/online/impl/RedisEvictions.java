package io.ravenpost.online.impl;

import io.micrometer.core.instrument.Counter;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.online.Entry;
import io.ravenpost.online.Evictions;
import io.ravenpost.online.OnlineConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kick's second path, through Redis. A login that cannot reach the owner's node over the
 * event bus (a partition, a member the cluster removed, halves not merged yet) while that node's
 * lease is alive leaves an eviction in the node's queue in Redis. The owner blocks on its queue on
 * a connection of its own, so it kicks within milliseconds of the request whenever it reaches
 * Redis, which it must to keep its lease. A node that reaches neither fences itself and its lease
 * runs out, so the login wins then. The queue expires with the lease, so a dead node's queue goes.
 */
final class RedisEvictions implements Evictions {
  private static final Logger LOG = LoggerFactory.getLogger(RedisEvictions.class);
  private static final int BLOCK_SECONDS = 1;
  private static final long RECONNECT_MS = 500;
  private static final String PUSH = """
      redis.call('RPUSH', KEYS[1], ARGV[1])
      redis.call('PEXPIRE', KEYS[1], ARGV[2])
      return 1
      """;

  private final NodeInfo node;
  private final Stores stores;
  private final OnlineConfig cfg;
  private final OnlineKeys keys;
  private final Counter requested;
  private volatile RedisConnection conn;
  private volatile boolean stopping;

  RedisEvictions(RedisOnlineState registry) {
    this.node = registry.node();
    this.stores = registry.stores();
    this.cfg = registry.config();
    this.keys = registry.keys();
    this.requested = Counter.builder("raven_online_evictions_requested_total")
        .description("Kicks sent through Redis because the owner's node did not answer on the event bus")
        .register(node.metrics());
  }

  /** Asks the owner's node, through Redis, to kick {@code owner}'s session. */
  @Override
  public Future<Void> request(Entry owner) {
    requested.increment();
    long ttl = Math.max(10_000, 2 * cfg.leaseMs());
    return stores.redis().eval(List.of(PUSH, "1", keys.evictions(owner.node()),
            owner.uid() + "|" + owner.sessionId(), Long.toString(ttl)))
        .mapEmpty();
  }

  /** Starts taking this node's evictions; completes once the connection is held. */
  @Override
  public Future<Void> start(Handler handler) {
    return connect().onSuccess(c -> loop(c, handler)).mapEmpty();
  }

  @Override
  public Future<Void> stop() {
    stopping = true;
    RedisConnection c = conn;
    return c == null ? Future.succeededFuture() : c.close().recover(t -> Future.succeededFuture());
  }

  private Future<RedisConnection> connect() {
    return stores.controlClient().connect().onSuccess(c -> conn = c);
  }

  private void loop(RedisConnection c, Handler handler) {
    if (stopping) {
      return;
    }
    c.send(Request.cmd(Command.BLPOP).arg(keys.evictions(node.id())).arg(BLOCK_SECONDS))
        .onSuccess(r -> {
          deliver(r, handler);
          loop(c, handler);
        })
        .onFailure(t -> {
          if (stopping) {
            return;
          }
          LOG.warn("evictions of node {}: {}; reconnecting", node.id(), t.getMessage());
          c.close();
          reconnect(handler);
        });
  }

  private void deliver(Response r, Handler handler) {
    if (r == null || r.size() < 2) {
      return;
    }
    String[] p = r.get(1).toString().split("\\|", 2);
    try {
      handler.evict(Long.parseLong(p[0]), p[1]);
    } catch (RuntimeException e) {
      LOG.warn("bad eviction '{}' for node {}: {}", r.get(1), node.id(), e.toString());
    }
  }

  private void reconnect(Handler handler) {
    node.vertx().setTimer(RECONNECT_MS, id -> {
      if (stopping) {
        return;
      }
      connect().onSuccess(c -> loop(c, handler)).onFailure(t -> reconnect(handler));
    });
  }
}
