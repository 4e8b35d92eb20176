package io.ravenpost.online.impl;

import io.micrometer.core.instrument.Counter;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.online.NodeLease;
import io.ravenpost.online.OnlineConfig;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node is alive while its lease key exists. The key has a TTL renewed well before it runs out,
 * so a killed node's sessions become stale within one lease time and never block a login.
 */
final class RedisNodeLease implements NodeLease {
  private static final Logger LOG = LoggerFactory.getLogger(RedisNodeLease.class);

  private final NodeInfo node;
  private final Stores stores;
  private final OnlineConfig cfg;
  private final OnlineKeys keys;
  private final LongSupplier sessions;
  private final Runnable onLost;
  private final Runnable onFenced;
  private long timer = -1;
  private long fenceTimer = -1;
  /** Monotonic time until which the lease surely exists in Redis: the send time of the last renewal that took, plus the TTL. */
  private volatile long heldUntilNanos;
  private volatile boolean fenced;
  /** A connection of the lease's own, dropped when a renewal does not answer in time. */
  private RedisConnection conn;
  private final Counter lost;
  private final Counter renewFailures;
  private final Counter fences;
  /** The lease key, then its copies in the registry shards (cluster mode). */
  private final List<String> leaseKeys;

  /**
   * @param sessions this node's session count, published in the lease value for stats
   * @param onLost called when a renewal finds the lease gone (Redis flushed or restarted, or this
   *     node was cut off past the TTL): the node must re-assert its sessions' entries
   * @param onFenced called when renewals have failed for so long that the lease may expire soon:
   *     other nodes will then treat this node's sessions as dead and let their players log in
   *     elsewhere, so the node must close its sessions first (one account, one session)
   */
  RedisNodeLease(RedisOnlineState registry, LongSupplier sessions, Runnable onLost, Runnable onFenced) {
    this.node = registry.node();
    this.stores = registry.stores();
    this.cfg = registry.config();
    this.keys = registry.keys();
    this.sessions = sessions;
    this.onLost = onLost;
    this.onFenced = onFenced;
    List<String> lk = new ArrayList<>(List.of(keys.lease(node.id())));
    lk.addAll(keys.leaseCopies(node.id()));
    this.leaseKeys = List.copyOf(lk);
    this.fences = Counter.builder("raven_online_lease_fenced_total")
        .description("Times this node closed its sessions because it could not renew its lease in time")
        .register(node.metrics());
    this.lost = Counter.builder("raven_online_lease_lost_total")
        .description("Renewals that found this node's lease gone (Redis lost it); sessions were re-asserted")
        .register(node.metrics());
    this.renewFailures = Counter.builder("raven_online_lease_renew_failures_total")
        .description("Lease renewals that failed (Redis unreachable); past leaseMs other nodes see this one dead")
        .register(node.metrics());
  }

  /** Takes the lease; the returned future completes once it is held. */
  @Override
  public Future<Void> start() {
    long renew = cfg.renewMs();
    warnIfFailoverCanOutrunTheFence(renew, cfg.leaseMs());
    timer = node.vertx().setPeriodic(renew, id -> renew()
        .onSuccess(held -> {
          if (!held) {
            LOG.warn("node {} found its lease gone; re-asserting its sessions", node.id());
            lost.increment();
            onLost.run();
          }
        })
        .onFailure(t -> {
          renewFailures.increment();
          LOG.warn("node lease renewal failed for {}: {}", node.id(), t.getMessage());
        }));
    long leaseMs = cfg.leaseMs();
    return renew()
        .onSuccess(v -> fenceTimer = node.vertx().setPeriodic(Math.max(50, Math.min(250, renew / 2)),
            id -> checkFence(leaseMs)))
        .mapEmpty();
  }

  /** True while this node may not hold sessions: its lease may already be gone for the others. */
  @Override
  public boolean fenced() {
    return fenced;
  }

  /**
   * Checks the lease now and fences at once if it ran out. Called before every request and push:
   * after a pause (GC, a stopped VM) buffered frames can be read before the periodic check's
   * timer fires, and by then another node may own these players.
   */
  @Override
  public boolean lapsed() {
    checkFence(cfg.leaseMs());
    return fenced;
  }

  /**
   * A Redis Cluster failover can lose a copy's newest renewal (replication is asynchronous), so a
   * copy may run out up to one renewal period before the hold does; the fencing margin only covers
   * that when it is at least that period.
   */
  private void warnIfFailoverCanOutrunTheFence(long renewMs, long leaseMs) {
    if (stores.redisClustered() && renewMs > margin(leaseMs)) {
      LOG.warn("online.renewMs {} is longer than the fencing margin {} ms: after a Redis Cluster failover that "
          + "lost a renewal, another node may take this node's players before it fences; use renewMs <= leaseMs/4",
          renewMs, margin(leaseMs));
    }
  }

  private static long margin(long leaseMs) {
    return Math.max(500, leaseMs / 4);
  }

  /**
   * A lease whose TTL may run out within the margin is as good as gone: the sessions are closed
   * now, before another node can take their players over, never after. The margin covers the
   * check's own period and the time to tell the clients.
   */
  private void checkFence(long leaseMs) {
    long margin = TimeUnit.MILLISECONDS.toNanos(margin(leaseMs));
    if (!fenced && System.nanoTime() > heldUntilNanos - margin) {
      fenced = true;
      fences.increment();
      LOG.error("node {} could not renew its lease for {} ms; closing its sessions before other nodes take "
          + "their players over", node.id(), leaseMs - TimeUnit.NANOSECONDS.toMillis(margin));
      onFenced.run();
    }
  }

  /**
   * Renews; the result says whether the lease was still there before this renewal. A lease a login
   * put back after a loss ({@link OnlineKeys#LEASE_RESTORED}) counts as lost: the other sessions
   * still need re-asserting.
   *
   * <p>On a Redis Cluster the lease has a copy in every registry shard, which claims there read
   * instead of the lease. The hold is extended only when the lease and every copy took: each was
   * then set no earlier than {@code sentAt}, so none expires before the hold ends, and while this
   * node holds, no claim in any shard can see its sessions as stale. A copy that failed to renew
   * stops the hold from growing, and the node fences before that copy can run out.
   */
  private Future<Boolean> renew() {
    long leaseMs = cfg.leaseMs();
    long now = System.currentTimeMillis();
    long sentAt = System.nanoTime();
    return connection().compose(c -> setAll(c, leaseMs)
            .onSuccess(held -> held(sentAt + TimeUnit.MILLISECONDS.toNanos(leaseMs)))
            .compose(held -> c.send(Request.cmd(Command.ZADD).arg(keys.nodes()).arg(now).arg(node.id()))
                .map(v -> held))
            // A renewal sent just before a cut can sit on its connection until TCP retransmits,
            // tens of seconds later: give up on it in time and start the next one on a new connection.
            .timeout(cfg.renewMs(), TimeUnit.MILLISECONDS)
            .onFailure(t -> retire(c, t instanceof TimeoutException ? leaseMs : 0)));
  }

  /** Sets the lease and its copies; true when every one of them was there before. */
  private Future<Boolean> setAll(RedisConnection c, long leaseMs) {
    long count = sessions.getAsLong();
    List<Future<Response>> sets = leaseKeys.stream()
        .map(k -> c.send(Request.cmd(Command.SET).arg(k).arg(count).arg("PX").arg(leaseMs).arg("GET")))
        .toList();
    return Future.all(sets).map(cf -> sets.stream().map(Future::result)
        .allMatch(old -> old != null && !OnlineKeys.LEASE_RESTORED.equals(old.toString())));
  }

  /**
   * The next renewal goes on a new connection. A connection that only answered late (a busy event
   * loop, a slow network) stays open for {@code graceMs}: its answer still extends the hold, since
   * the lease was renewed no earlier than that renewal was sent.
   */
  private void retire(RedisConnection c, long graceMs) {
    if (conn != c) {
      // Retired already (two renewals on it went wrong): closing it twice throws in the pool.
      return;
    }
    conn = null;
    if (graceMs <= 0) {
      c.close();
    } else {
      node.vertx().setTimer(graceMs, id -> c.close());
    }
  }

  private Future<RedisConnection> connection() {
    return conn != null ? Future.succeededFuture(conn) : stores.controlClient().connect().onSuccess(c -> conn = c);
  }

  /**
   * Only ever extends the hold: a late answer to an old renewal says the lease was renewed when that
   * renewal was sent, which a newer renewal may already have outdone.
   */
  private void held(long untilNanos) {
    heldUntilNanos = Math.max(heldUntilNanos, untilNanos);
    if (fenced) {
      fenced = false;
      LOG.info("node {} renewed its lease again; it takes logins again", node.id());
    }
  }

  /** Stops renewing; with {@code release} the lease is deleted at once (graceful stop). */
  @Override
  public Future<Void> stop(boolean release) {
    if (timer >= 0) {
      node.vertx().cancelTimer(timer);
    }
    if (fenceTimer >= 0) {
      node.vertx().cancelTimer(fenceTimer);
    }
    RedisConnection c = conn;
    conn = null;
    if (c != null) {
      c.close();
    }
    if (!release) {
      return Future.succeededFuture();
    }
    return stores.control().del(leaseKeys)
        .compose(v -> stores.control().zrem(List.of(keys.nodes(), node.id())))
        .mapEmpty();
  }
}
