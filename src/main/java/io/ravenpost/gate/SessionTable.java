package io.ravenpost.gate;

import io.ravenpost.api.Frames;
import io.ravenpost.api.KickReason;
import io.ravenpost.common.Lifecycle;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.online.Entry;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's sessions (Nakama's session registry): who is connected, closing them for every
 * reason the server has (kicks, fencing, idleness), and putting their entries back when the
 * registry lost them.
 */
final class SessionTable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionTable.class);
  private static final int RECONCILE_BATCH = 500;

  private final NodeInfo node;
  private final Lifecycle lifecycle;
  private final GateConfig cfg;
  private final GateOps ops;
  private final GateMetrics metrics;
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Consumer<Session> slowConsumer = this::closeSlowConsumer;

  SessionTable(NodeInfo node, Lifecycle lifecycle, GateConfig cfg, GateOps ops, GateMetrics metrics) {
    this.node = node;
    this.lifecycle = lifecycle;
    this.cfg = cfg;
    this.ops = ops;
    this.metrics = metrics;
    metrics.watch(sessions);
  }

  int size() {
    return sessions.size();
  }

  Session get(String id) {
    return sessions.get(id);
  }

  Collection<Session> all() {
    return List.copyOf(sessions.values());
  }

  /** How many sessions of {@code uid} this node holds as online owners. */
  long onlineSessions(long uid) {
    return sessions.values().stream().filter(s -> s.online() && s.uid == uid).count();
  }

  Session open(Connection conn, boolean binary, Context context) {
    Session s = new Session(Long.toHexString(random.nextLong() | Long.MIN_VALUE), conn, binary, cfg.opsBurst(),
        context);
    s.onSlow = slowConsumer;
    sessions.put(s.id, s);
    metrics.opened(s.loop);
    return s;
  }

  /** The client closed (or the server did): forget it and release its entry. */
  void closed(Session s) {
    forget(s);
    if (!s.markClosed() || s.uid == 0 || lifecycle.halting()) {
      return;
    }
    ops.released(s, "DISCONNECT");
  }

  private void forget(Session s) {
    if (sessions.remove(s.id) != null) {
      metrics.closed(s.loop);
    }
  }

  /** Kick: tell the client why, close it, release its entry; completes once the entry is released. */
  Future<Boolean> kick(Session s, KickReason reason) {
    forget(s);
    if (s.markClosed()) {
      metrics.kicked();
      LOG.info("kick {} reason={}", s.logId(), reason);
      s.send(Frames.kicked(reason));
      s.close();
    }
    return s.uid == 0 ? Future.succeededFuture(false) : ops.released(s, reason.name());
  }

  /** Every session, for a stop or a fence; completes when their entries are released. */
  Future<List<Boolean>> kickAll(KickReason reason) {
    List<Future<Boolean>> released = new ArrayList<>();
    all().forEach(s -> released.add(kick(s, reason)));
    return Future.join(released).map(cf -> cf.list());
  }

  /**
   * The lease was gone (Redis flushed or restarted): put back the entries of the online sessions.
   * A session whose uid meanwhile belongs to another live session is closed: one account, one session.
   */
  void reassert() {
    for (Session s : all()) {
      if (!s.online()) {
        continue;
      }
      ops.reclaim(s).onSuccess(ours -> {
        if (!ours) {
          kick(s, KickReason.LOGIN_ELSEWHERE);
        }
      });
    }
  }

  /**
   * A partial loss in the store (an eviction, a failover that dropped recent writes) can take one
   * entry and leave the lease: the session is then invisible to kicks, and a login elsewhere wins
   * by HSETNX without one, leaving two sessions. The node compares its online sessions with their
   * entries in batches: a missing entry is claimed back, and a session whose entry names another
   * session is closed. Answers how many sessions needed either.
   */
  Future<Integer> reconcile(OnlineState online) {
    List<Session> mine = all().stream().filter(Session::online).toList();
    Future<Integer> chain = Future.succeededFuture(0);
    for (int from = 0; from < mine.size(); from += RECONCILE_BATCH) {
      List<Session> batch = mine.subList(from, Math.min(mine.size(), from + RECONCILE_BATCH));
      chain = chain.compose(n -> online.entriesOf(batch.stream().map(s -> s.uid).toList())
          .compose(found -> Future.all(batch.stream().map(s -> repair(s, found.get(s.uid))).toList()))
          .map(cf -> n + cf.list().stream().mapToInt(r -> (Integer) r).sum()));
    }
    return chain;
  }

  private Future<Integer> repair(Session s, Entry e) {
    if (e != null && e.node().equals(node.id()) && e.sessionId().equals(s.id)) {
      return Future.succeededFuture(0);
    }
    if (e != null) {
      LOG.warn("reconcile: {} does not own its entry any more (now {} on {}); closing it", s.logId(),
          e.sessionId(), e.node());
      metrics.reconciled("closed");
      return kick(s, KickReason.LOGIN_ELSEWHERE).map(1);
    }
    return ops.reclaim(s).compose(ours -> {
      if (!ours) {
        metrics.reconciled("closed");
        return kick(s, KickReason.LOGIN_ELSEWHERE).map(1);
      }
      LOG.warn("reconcile: the entry of {} was lost; claimed it back", s.logId());
      metrics.reconciled("reclaimed");
      // Closed while reclaiming: the entry just written must not outlive it.
      return (s.online() ? Future.succeededFuture(true) : ops.released(s, "DISCONNECT")).map(1);
    });
  }

  /** Closes connections idle past the limit, and connections that never logged in. */
  void sweep() {
    long now = System.currentTimeMillis();
    long idle = TimeUnit.SECONDS.toMillis(cfg.idleTimeoutSeconds());
    for (Session s : sessions.values()) {
      boolean silent = now - s.lastSeen > idle;
      boolean neverLoggedIn = s.state == Session.State.CONNECTED && now - s.connectedAt > cfg.loginDeadlineMs();
      if (silent || neverLoggedIn) {
        LOG.info("closing {}: {}", s.logId(), silent ? "silent for " + idle + " ms" : "no login");
        s.close();
      }
    }
  }

  private void closeSlowConsumer(Session s) {
    metrics.slowConsumer();
    LOG.warn("closing {}: more than {} bytes waiting to be written (the client is not reading)", s.logId(),
        cfg.maxQueuedBytes());
    s.close();
  }
}
