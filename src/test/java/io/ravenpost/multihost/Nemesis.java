package io.ravenpost.multihost;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The fault schedule, one fault at a time, each bounded: kill -9 a node (then start it again),
 * SIGSTOP a node for 20 s, cut a host from the other nodes for 20 s (it still reaches Redis and
 * MariaDB), cut a host from Redis only for 20 s, 200 ms of added latency on a host for 20 s. After
 * each, it measures how long until every node again lists 3 members, all reachable, waits
 * (bounded) until every account is back online, then lets the workload run calm for 10 s.
 */
final class Nemesis {
  static final long FAULT_MS = 20_000;
  /** Issue 9: the cluster is one again within 15 s of a fault ending. */
  static final long HEAL_LIMIT_MS = 15_000;
  /** How long we keep watching past the limit, to report the real recovery time. */
  private static final long HEAL_WATCH_MS = 60_000;
  private static final long PLAYERS_BACK_MS = 30_000;
  static final int LATENCY_MS = 200;
  /** Undisturbed running after each fault has healed: pushes and kicks across every host are checked then. */
  static final long CALM_MS = 10_000;

  /** One fault: when it began and ended, and when the cluster was whole again (-1: not within the watch). */
  record Outcome(String fault, int host, long startAt, long endAt, long wholeAt, String note) {
    long recoveryMs() {
      return wholeAt < 0 ? -1 : Math.max(0, wholeAt - endAt);
    }

    JsonObject toJson() {
      return new JsonObject().put("fault", fault).put("host", "h" + host).put("startAt", startAt).put("endAt", endAt)
          .put("wholeAt", wholeAt).put("recoveryMs", recoveryMs()).put("note", note);
    }
  }

  private final Bed bed;
  private final History history;
  private final List<Player> players;
  private final Map<Integer, Player> usurpers;

  /**
   * @param usurpers per host, a client not started yet whose uid has a patient client on that
   *                 host: started in the middle of the first fault held on that host (once the
   *                 host's lease may have run out), so that fault always has a login elsewhere
   *                 while the old session may still answer: the case invariant i is about
   */
  Nemesis(Bed bed, History history, List<Player> players, Map<Integer, Player> usurpers) {
    this.bed = bed;
    this.history = history;
    this.players = players;
    this.usurpers = new HashMap<>(usurpers);
  }

  List<Outcome> run() {
    List<Outcome> out = new ArrayList<>();
    out.add(kill(0));
    out.add(pause(1));
    out.add(isolate(2));
    out.add(cutRedis(0));
    out.add(latency(bed.net.tapHost));
    return out;
  }

  private Outcome kill(int h) {
    long start = begin("kill-9", h);
    bed.node(h).kill9();
    // Its players are told by the closed sockets; they log in elsewhere once the lease has expired.
    boolean moved = await(Bed.LEASE_MS + 10_000, () -> everyAccountOnline(h));
    bed.restart(h);
    return finish("kill-9", h, start, moved ? "restarted" : "restarted; not every account was back online elsewhere");
  }

  private Outcome pause(int h) {
    long start = begin("sigstop-20s", h);
    bed.node(h).pause();
    try {
      hold(h);
    } finally {
      bed.node(h).resume();
    }
    return finish("sigstop-20s", h, start, "SIGCONT");
  }

  private Outcome isolate(int h) {
    long start = begin("partition-20s", h);
    bed.net.isolate(h, true);
    try {
      hold(h);
    } finally {
      bed.net.isolate(h, false);
    }
    return finish("partition-20s", h, start, "cut from the other nodes, still reaching Redis and MariaDB");
  }

  private Outcome cutRedis(int h) {
    long start = begin("redis-cut-20s", h);
    bed.net.cutRedis(h, true);
    try {
      hold(h);
    } finally {
      bed.net.cutRedis(h, false);
    }
    return finish("redis-cut-20s", h, start, "cut from Redis only");
  }

  private Outcome latency(int h) {
    long start = begin("latency-200ms-20s", h);
    bed.net.delay(LATENCY_MS, 0);
    try {
      hold(h);
    } finally {
      bed.net.delay(0, 0);
    }
    return finish("latency-200ms-20s", h, start, LATENCY_MS + " ms on frames leaving the host (TAP delay link)");
  }

  /** Before a fault held on {@code h}: the client its usurper will challenge is logged in on {@code h}. */
  private void setScene(int h) {
    Player usurper = usurpers.get(h);
    if (usurper == null) {
      return;
    }
    Player probe = players.stream().filter(p -> p.uid == usurper.uid && p != usurper).findFirst().orElseThrow();
    probe.goHome();
    boolean home = await(15_000, () -> probe.online() && probe.host() == h);
    history.mark("scene", new JsonObject().put("probe", probe.name).put("host", h).put("onHome", home));
  }

  private long begin(String fault, int h) {
    setScene(h);
    return history.mark("fault.start", new JsonObject().put("fault", fault).put("host", h)).at();
  }

  /**
   * The workload runs with no fault for {@code ms}, between calm.start and calm.end marks: the
   * checker expects every push to reach an online recipient in these windows.
   */
  void calm(long ms) {
    history.mark("calm.start", null);
    long end = System.currentTimeMillis() + ms;
    while (System.currentTimeMillis() < end) {
      history.mark("view", new JsonObject().put("view", bed.clusterView()));
      await(Math.min(2_000, Math.max(1, end - System.currentTimeMillis())), () -> false);
    }
    history.mark("calm.end", null);
  }

  /**
   * The fault's time, spent recording what each node sees of the cluster (evidence for the
   * report), with the host's usurper started once its lease may have run out.
   */
  private void hold(int h) {
    long start = System.currentTimeMillis();
    long end = start + FAULT_MS;
    Player usurper = usurpers.remove(h);
    long lastView = 0;
    while (System.currentTimeMillis() < end) {
      if (usurper != null && System.currentTimeMillis() >= start + Bed.LEASE_MS + 2_000) {
        history.mark("usurper.start", new JsonObject().put("player", usurper.name).put("uid", usurper.uid)
            .put("host", usurper.home));
        usurper.start();
        usurper = null;
      }
      if (System.currentTimeMillis() - lastView >= 2_000) {
        lastView = System.currentTimeMillis();
        history.mark("view", new JsonObject().put("view", bed.clusterView()));
      }
      await(Math.min(250, Math.max(1, end - System.currentTimeMillis())), () -> false);
    }
  }

  private Outcome finish(String fault, int h, long start, String note) {
    long end = history.mark("fault.end", new JsonObject().put("fault", fault).put("host", h)).at();
    // Players come back to their own host once it is healthy again (as a region's players do), so
    // the healed node serves sessions at once and what it does with them right after a fault is seen.
    players.stream().filter(p -> p.home == h).forEach(Player::goHome);
    long wholeAt = -1;
    long deadline = end + HEAL_WATCH_MS;
    long lastView = 0;
    while (System.currentTimeMillis() < deadline) {
      if (bed.whole()) {
        wholeAt = System.currentTimeMillis();
        break;
      }
      if (System.currentTimeMillis() - lastView > 2_000) {
        lastView = System.currentTimeMillis();
        history.mark("view", new JsonObject().put("view", bed.clusterView()));
      }
      await(250, () -> false);
    }
    history.mark("whole", new JsonObject().put("fault", fault).put("wholeAt", wholeAt)
        .put("recoveryMs", wholeAt < 0 ? -1 : wholeAt - end).put("view", bed.clusterView()));
    boolean back = await(PLAYERS_BACK_MS, () -> everyAccountOnline(-1));
    if (!back) {
      history.mark("players.notBack", new JsonObject().put("fault", fault));
    }
    calm(CALM_MS);
    return new Outcome(fault, h, start, end, wholeAt, note + (back ? "" : "; accounts not all back online in 30 s"));
  }

  /**
   * Every account has a logged-in client, not on host {@code notOn}. Accounts, not clients: a
   * twin pausing between kicks is offline by choice while its other half is online.
   */
  private boolean everyAccountOnline(int notOn) {
    return players.stream().map(p -> p.uid).distinct()
        .allMatch(uid -> players.stream().anyMatch(p -> p.uid == uid && p.online() && p.host() != notOn));
  }

  /** Polls {@code condition} until it holds or {@code ms} pass; false on timeout. */
  static boolean await(long ms, BooleanSupplier condition) {
    long end = System.currentTimeMillis() + ms;
    while (!condition.getAsBoolean()) {
      long left = end - System.currentTimeMillis();
      if (left <= 0) {
        return false;
      }
      try {
        Thread.sleep(Math.min(50, left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
