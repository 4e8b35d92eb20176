package io.ravenpost.online;

import io.micrometer.core.instrument.Counter;
import io.ravenpost.common.NodeContext;
import io.vertx.core.Future;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node is alive while its lease key exists. The key has a TTL renewed well before it runs out,
 * so a killed node's sessions become stale within one lease time and never block a login.
 */
public final class NodeLease {
  private static final Logger LOG = LoggerFactory.getLogger(NodeLease.class);

  private final NodeContext ctx;
  private final OnlineKeys keys;
  private final LongSupplier sessions;
  private final Runnable onLost;
  private long timer = -1;
  private final Counter lost;
  private final Counter renewFailures;

  /**
   * @param sessions this node's session count, published in the lease value for stats
   * @param onLost called when a renewal finds the lease gone (Redis flushed or restarted, or this
   *     node was cut off past the TTL): the node must re-assert its sessions' entries
   */
  public NodeLease(OnlineRegistry registry, LongSupplier sessions, Runnable onLost) {
    this.ctx = registry.context();
    this.keys = registry.keys();
    this.sessions = sessions;
    this.onLost = onLost;
    this.lost = Counter.builder("raven_online_lease_lost_total")
        .description("Renewals that found this node's lease gone (Redis lost it); sessions were re-asserted")
        .register(ctx.metrics());
    this.renewFailures = Counter.builder("raven_online_lease_renew_failures_total")
        .description("Lease renewals that failed (Redis unreachable); past leaseMs other nodes see this one dead")
        .register(ctx.metrics());
  }

  /** Takes the lease; the returned future completes once it is held. */
  public Future<Void> start() {
    long renew = ctx.config().online().renewMs();
    timer = ctx.vertx().setPeriodic(renew, id -> renew()
        .onSuccess(held -> {
          if (!held) {
            LOG.warn("node {} found its lease gone; re-asserting its sessions", ctx.nodeId());
            lost.increment();
            onLost.run();
          }
        })
        .onFailure(t -> {
          renewFailures.increment();
          LOG.warn("node lease renewal failed for {}: {}", ctx.nodeId(), t.getMessage());
        }));
    return renew().mapEmpty();
  }

  /**
   * Renews; the result says whether the lease was still there before this renewal. A lease a login
   * put back after a loss ({@link OnlineKeys#LEASE_RESTORED}) counts as lost: the other sessions
   * still need re-asserting.
   */
  private Future<Boolean> renew() {
    String lease = Long.toString(ctx.config().online().leaseMs());
    long now = System.currentTimeMillis();
    return ctx.redis().set(List.of(keys.lease(ctx.nodeId()), Long.toString(sessions.getAsLong()), "PX", lease, "GET"))
        .compose(old -> ctx.redis().zadd(List.of(keys.nodes(), Long.toString(now), ctx.nodeId()))
            .map(v -> old != null && !OnlineKeys.LEASE_RESTORED.equals(old.toString())));
  }

  /** Stops renewing; with {@code release} the lease is deleted at once (graceful stop). */
  public Future<Void> stop(boolean release) {
    if (timer >= 0) {
      ctx.vertx().cancelTimer(timer);
    }
    if (!release) {
      return Future.succeededFuture();
    }
    return ctx.redis().del(List.of(keys.lease(ctx.nodeId())))
        .compose(v -> ctx.redis().zrem(List.of(keys.nodes(), ctx.nodeId())))
        .mapEmpty();
  }
}
