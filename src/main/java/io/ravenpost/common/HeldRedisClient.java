package io.ravenpost.common;

import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.PromiseInternal;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.RedisClusterConnection;
import io.vertx.redis.client.impl.types.ErrorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A Redis client that sends every command over a few connections it holds, each pipelining
 * whatever is asked of it, instead of vertx-redis-client 5.0.10's connection-less {@code send()},
 * which leases a pooled connection per command and holds it for the whole round trip: a pool of 16
 * then allows 16 commands in flight per node, and logins queued for a connection (20 ms per
 * Redis step at 2,500 logins/s, while Redis itself answered in well under a millisecond).
 *
 * <p>On Redis Cluster the library's {@code send()} is worse: it calls {@code connect()} for each
 * command, which leases a pooled connection to every node of the slot map (replicas too) and fails
 * the command when any one of them cannot be reached. That made a node's CPU per login 2.6 times
 * that on one Redis, and one dead master made all of Redis unavailable to every node until the
 * slot map no longer named it. A held {@code RedisClusterConnection} already routes each command to
 * its slot's master, follows MOVED/ASK, refreshes its slot map every {@code hashSlotCacheTTL} and
 * opens a connection to a newly promoted master when the map names one, so the library's own
 * routing is kept; only its per-command connect is avoided. When a master dies, its connection in
 * the held one is dead: commands for its slots fail at once while the others go on, and once its
 * replica is promoted the refreshed map sends them there.
 *
 * <p>Each caller's event loop is given one held connection, round robin on first sight. With no
 * more loops than connections (the default on a 2-core box: 4 and 4) each connection is made on
 * the loop it serves, so its commands are written and answered there with no hop to another
 * thread; with more loops, loops share a connection and hop to it. Answers are delivered on the
 * caller's own context, as the library's clients do, so a verticle's callbacks never run on
 * another verticle's thread.
 *
 * <p>A held connection that broke (Redis restarted, the network dropped it) is replaced; the old
 * one is kept until a new one is made, since on a cluster making one needs every node of the map
 * and fails while a failover is under way. {@link #connect()} still gives a connection of the
 * caller's own (blocking pops, the lease).
 */
public final class HeldRedisClient implements Redis {
  /** Between attempts to replace a broken held connection while Redis cannot give a new one. */
  private static final long RETRY_MS = 250;

  private final Vertx vertx;
  private final Redis source;
  private final List<Lane> lanes = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final Map<EventLoop, Lane> byLoop = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /**
   * @param lanes connections held; each pipelines its commands and takes one pooled connection (on
   *     a cluster, one per cluster node), and replacing one briefly takes a second, so the pool must
   *     have twice as many to spare besides what callers of {@link #connect()} hold
   */
  public HeldRedisClient(Vertx vertx, Redis source, int lanes) {
    this.vertx = vertx;
    this.source = source;
    for (int i = 0; i < lanes; i++) {
      this.lanes.add(new Lane());
    }
  }

  @Override
  public Future<RedisConnection> connect() {
    return source.connect();
  }

  @Override
  public Future<Response> send(Request request) {
    ContextInternal caller = caller();
    return onCallers(caller, lane(caller).call(c -> c.send(request)));
  }

  @Override
  public Future<List<Response>> batch(List<Request> requests) {
    ContextInternal caller = caller();
    return onCallers(caller, lane(caller).call(c -> c.batch(requests)));
  }

  @Override
  public Future<Void> close() {
    closed = true;
    List<Future<Void>> closes = new ArrayList<>();
    lanes.forEach(l -> closes.add(l.close()));
    return Future.join(closes).<Void>mapEmpty().recover(t -> Future.succeededFuture()).eventually(source::close);
  }

  private ContextInternal caller() {
    ContextInternal current = ContextInternal.current();
    return current != null ? current : (ContextInternal) vertx.getOrCreateContext();
  }

  /** The lane of the caller's event loop, given one on first sight. */
  private Lane lane(ContextInternal caller) {
    return byLoop.computeIfAbsent(caller.nettyEventLoop(),
        loop -> lanes.get(Math.floorMod(next.getAndIncrement(), lanes.size())));
  }

  /** {@code answer}, completed on the caller's context (the lane's connection may live on another loop). */
  private static <T> Future<T> onCallers(ContextInternal caller, Future<T> answer) {
    PromiseInternal<T> p = caller.promise();
    answer.onComplete(p);
    return p.future();
  }

  /**
   * True when the failure says the connection (not the command) is broken. Redis's own errors
   * (WRONGTYPE, a script's error, MOVED past the retries) are answers: the connection is fine.
   */
  static boolean brokenConnection(Throwable t) {
    if (t instanceof ErrorType e) {
      // A batch cut short by a closed connection says so inside its message ("ERR [0] CONNECTION_CLOSED ...").
      return e.is("CONNECTION_CLOSED") || String.valueOf(e.getMessage()).contains("CONNECTION_CLOSED");
    }
    String m = String.valueOf(t.getMessage());
    return !m.contains("CROSSSLOT") && !m.contains("waiting queue is full") && !m.contains("is not valid");
  }

  /** One held connection, replaced when it breaks. */
  private final class Lane {
    private Future<RedisConnection> current;
    private boolean replacing;
    private long retryAt;

    <T> Future<T> call(Function<RedisConnection, Future<T>> op) {
      Future<RedisConnection> held = held();
      return held.compose(c -> op.apply(c).onFailure(t -> {
        if (brokenConnection(t)) {
          replace(held);
        }
      }));
    }

    private synchronized Future<RedisConnection> held() {
      if (current == null || current.failed() && System.currentTimeMillis() >= retryAt) {
        retryAt = System.currentTimeMillis() + RETRY_MS;
        current = watched(source.connect());
      }
      return current;
    }

    /**
     * On one Redis, a connection Redis closed (a restart) is let go at once, so the next command
     * makes a new one instead of failing on the dead one. A cluster connection stays: its other
     * masters' connections still serve their slots.
     */
    private Future<RedisConnection> watched(Future<RedisConnection> made) {
      return made.onSuccess(c -> {
        if (!(c instanceof RedisClusterConnection)) {
          c.endHandler(v -> dropped(made));
        }
      });
    }

    private void dropped(Future<RedisConnection> ended) {
      synchronized (this) {
        if (current != ended) {
          return;
        }
        current = null;
      }
      ended.result().close();
    }

    /** Replaces {@code broken} with a new connection once one can be made; until then it keeps serving the slots it still reaches. */
    private void replace(Future<RedisConnection> broken) {
      synchronized (this) {
        long now = System.currentTimeMillis();
        if (closed || replacing || current != broken || now < retryAt) {
          return;
        }
        replacing = true;
        retryAt = now + RETRY_MS;
      }
      source.connect().onComplete(ar -> {
        RedisConnection old = null;
        synchronized (this) {
          replacing = false;
          if (ar.succeeded() && !closed && current == broken) {
            old = broken.result();
            current = watched(Future.succeededFuture(ar.result()));
          } else if (ar.succeeded()) {
            ar.result().close();
          }
        }
        if (old != null) {
          // Later, so that a command that took the old one just now is written before its leases go back to the pool.
          RedisConnection retired = old;
          vertx.setTimer(RETRY_MS, id -> retired.close());
        }
      });
    }

    private synchronized Future<Void> close() {
      Future<RedisConnection> c = current;
      current = null;
      return c == null ? Future.succeededFuture() : c.compose(RedisConnection::close, t -> Future.succeededFuture());
    }
  }
}
