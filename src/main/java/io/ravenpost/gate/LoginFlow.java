package io.ravenpost.gate;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.KickReason;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.online.ClaimResult;
import io.ravenpost.online.Entry;
import io.ravenpost.online.Evictions;
import io.ravenpost.online.MessageRouter.Kicked;
import io.ravenpost.online.MessageRouter;
import io.ravenpost.online.OnlineConfig;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The online-state design's login: claim the uid with HSETNX; when another session owns it, ask its node to
 * kick it (that node closes the session and compare-and-deletes the entry), then claim again,
 * within a bounded time. Kicks go through the owner's node address even when the owner is on
 * this node, so same-node and cross-node duplicates take one path. When the event bus cannot reach
 * the owner's node (a partition, halves not merged yet) the kick goes through Redis instead
 * ({@link io.ravenpost.online.Evictions}), and the login waits until the owner has kicked, or until its lease ran out
 * (at most {@code online.leaseMs} plus a margin), never answering LOGIN_CONFLICT for a node that
 * is merely unreachable.
 */
final class LoginFlow {
  private static final Logger LOG = LoggerFactory.getLogger(LoginFlow.class);
  private static final long KICK_RETRY_PAUSE_MS = 100;
  private static final long EVICTION_POLL_MS = 50;
  private static final long LEASE_MARGIN_MS = 1000;

  private final NodeInfo node;
  private final long leaseMs;
  private final OnlineState registry;
  private final MessageRouter router;
  private final LoginPolicy policy;
  private final long timeoutMs;

  LoginFlow(NodeInfo node, GateConfig cfg, OnlineConfig online, OnlineState registry, MessageRouter router) {
    this.node = node;
    this.leaseMs = online.leaseMs();
    this.registry = registry;
    this.router = router;
    this.policy = cfg.loginPolicy();
    this.timeoutMs = cfg.loginTimeoutMs();
  }

  /** Makes {@code sessionId} the owner of {@code uid}, or fails with LOGIN_CONFLICT. */
  Future<Entry> claim(long uid, String sessionId) {
    return attempt(uid, sessionId, System.currentTimeMillis() + timeoutMs, null, false);
  }

  /**
   * @param evicted the owner already asked through Redis: it is waited for, not kicked again
   * @param kicked whether an owner was asked to go in an earlier round (else a late deadline is
   *     the registry's slowness, answered UNAVAILABLE rather than LOGIN_CONFLICT)
   */
  private Future<Entry> attempt(long uid, String sessionId, long deadline, Entry evicted, boolean kicked) {
    return registry.tryClaim(uid, node.id(), sessionId).compose(r -> {
      if (r.claimed()) {
        logReplaced(r);
        return Future.succeededFuture(r.mine());
      }
      if (policy == LoginPolicy.REJECT_NEW) {
        return Future.failedFuture(ErrorCode.LOGIN_CONFLICT.error("this account is online elsewhere"));
      }
      long left = deadline - System.currentTimeMillis();
      if (left <= 0 && evicted == null && !kicked) {
        // The time went on the registry itself (a Redis that just came back answers late), not
        // on another login: that is a dependency being slow, not a conflict.
        return Future.failedFuture(ErrorCode.UNAVAILABLE.error("the session registry answered too slowly; retry"));
      }
      if (left <= 0) {
        return Future.failedFuture(ErrorCode.LOGIN_CONFLICT.error(
            "another login of this account is in progress; retry"));
      }
      Entry owner = r.owner();
      if (owner.equals(evicted)) {
        return node.vertx().timer(EVICTION_POLL_MS).compose(v -> attempt(uid, sessionId, deadline, evicted, true));
      }
      // Whatever the kick's outcome, claim once more: the last kicker must always get a try, or a
      // storm of logins could kick every session and leave none.
      return router.kick(owner, KickReason.LOGIN_ELSEWHERE, Math.max(100, Math.min(left, 1000))).transform(k -> {
        if (k.failed()) {
          return node.vertx().timer(KICK_RETRY_PAUSE_MS).compose(v -> attempt(uid, sessionId, deadline, null, true));
        }
        return k.result() == Kicked.RELEASED ? attempt(uid, sessionId, deadline, null, true)
            : attempt(uid, sessionId, Math.max(deadline, leaseOutlived()), owner, true);
      });
    });
  }

  /** A node that takes no eviction either has stopped renewing its lease: it runs out by then. */
  private long leaseOutlived() {
    return System.currentTimeMillis() + leaseMs + LEASE_MARGIN_MS;
  }

  private void logReplaced(ClaimResult r) {
    if (r.replaced() != null) {
      LOG.info("uid={} session={} replaced stale entry of dead node {} (session {})", r.mine().uid(),
          r.mine().sessionId(), r.replaced().node(), r.replaced().sessionId());
    }
  }
}
