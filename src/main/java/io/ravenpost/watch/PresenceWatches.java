package io.ravenpost.watch;

import io.ravenpost.api.ClientOp;
import io.ravenpost.api.ClientRequest;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.online.OnlineChanged;
import io.ravenpost.api.watch.PresenceAnswer;
import io.ravenpost.api.watch.WatchPresence;
import io.ravenpost.online.Entry;
import io.ravenpost.online.OnlineState;
import io.ravenpost.watch.WatchConfig;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Presence watches (the long-poll watch applied to friends' online state): answered with the uids whose
 * state differs from what the watcher knows, as soon as one does. The truth is the registry; the
 * wake-ups come from the cluster-wide online changes, never from polling Redis.
 */
final class PresenceWatches {
  private final WatchConfig cfg;
  private final HeldWatches held;
  private final WatchIndex index;
  private final OnlineState registry;

  /** For a client watch, the watching session (to drop the watch when it is gone); else uid 0. */
  private static final class PresenceWatch extends Watch {
    final byte[] known;
    final long watcherUid;
    final String sessionId;
    final String node;

    PresenceWatch(String watcher, String ref, PresenceQuery q, long watcherUid, String sessionId, String node) {
      super(watcher, ref, q.uids());
      this.known = q.known();
      this.watcherUid = watcherUid;
      this.sessionId = sessionId;
      this.node = node;
    }

    @Override
    Kind kind() {
      return Kind.PRESENCE;
    }

    @Override
    JsonObject unchanged() {
      return PresenceAnswer.NONE.toJson();
    }
  }

  PresenceWatches(WatchConfig cfg, HeldWatches held, OnlineState registry) {
    this.cfg = cfg;
    this.held = held;
    this.index = held.index(Watch.Kind.PRESENCE);
    this.registry = registry;
  }

  /** {@code presence.watch} from a client, forwarded by its gate; the session is the watcher. */
  Future<JsonObject> onClient(ClientRequest r) {
    if (r.op() != ClientOp.PRESENCE_WATCH) {
      throw ErrorCode.UNKNOWN_OP.error("unknown op " + r.op().wire());
    }
    if (r.sessionId() == null) {
      throw ErrorCode.BAD_REQUEST.error("presence.watch needs the sessionId header");
    }
    PresenceQuery q = PresenceQuery.of(WatchPresence.fromJson(r.body()), cfg);
    return watch(new PresenceWatch(sessionKey(r.sessionId()), null, q, r.uid(), r.sessionId(), r.node()), q.waitMs());
  }

  /** A presence watch from a service or the HTTP API. */
  Future<PresenceAnswer> onService(WatchPresence req) {
    PresenceQuery q = PresenceQuery.of(req, cfg);
    return watch(new PresenceWatch(req.watcher() == null ? null : "watcher:" + req.watcher(), req.ref(), q, 0, null,
        null), q.waitMs()).map(PresenceAnswer::fromJson);
  }

  /** A uid came online or went offline on some node: wakes watches on it, drops a closed session's watch. */
  void onChanged(OnlineChanged ev) {
    long uid = ev.uid();
    boolean online = ev.online();
    String sessionId = ev.sessionId();
    if (!online && sessionId != null && index.ofWatcher(sessionKey(sessionId)) instanceof PresenceWatch w
        && w.watcherUid == uid) {
      held.fail(w, ErrorCode.UNAVAILABLE.error("the watching session closed"), HeldWatches.GONE);
    }
    byte state = online ? PresenceQuery.ONLINE : PresenceQuery.OFFLINE;
    for (Watch w : index.waitingOn(uid)) {
      if (((PresenceWatch) w).known[PresenceQuery.indexOf(w.uids, uid)] != state) {
        held.answer(w, new PresenceAnswer(Map.of(uid, online)).toJson(), HeldWatches.CHANGED);
      }
    }
  }

  /**
   * Check, then drop: the client watches whose session no longer owns its registry entry (closed
   * without a change event reaching us, or its node died) are answered UNAVAILABLE and forgotten.
   * Completes with the number dropped.
   */
  Future<Integer> sweep() {
    List<PresenceWatch> clients = new ArrayList<>();
    Set<Long> watchers = new HashSet<>();
    for (Watch w : index.all()) {
      if (w instanceof PresenceWatch p && p.sessionId != null) {
        clients.add(p);
        watchers.add(p.watcherUid);
      }
    }
    if (clients.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return registry.liveEntries(watchers).map(live -> {
      int dropped = 0;
      for (PresenceWatch w : clients) {
        Entry e = live.get(w.watcherUid);
        boolean owner = e != null && e.sessionId().equals(w.sessionId) && e.node().equals(w.node);
        if (!owner && held.fail(w, ErrorCode.UNAVAILABLE.error("the watching session is gone"), HeldWatches.GONE)) {
          dropped++;
        }
      }
      return dropped;
    });
  }

  /** Parked before the registry is read, so a change published meanwhile still wakes it. */
  private Future<JsonObject> watch(PresenceWatch w, long waitMs) {
    if (waitMs == 0) {
      return registry.liveEntries(uidList(w.uids))
          .onSuccess(live -> held.count(Watch.Kind.PRESENCE, HeldWatches.IMMEDIATE))
          .onFailure(t -> held.count(Watch.Kind.PRESENCE, HeldWatches.FAILED))
          .map(live -> new JsonObject().put("online", differences(w, live)));
    }
    held.park(w, waitMs);
    registry.liveEntries(uidList(w.uids)).onComplete(ar -> {
      if (ar.failed()) {
        held.fail(w, ar.cause(), HeldWatches.FAILED);
        return;
      }
      JsonObject diff = differences(w, ar.result());
      if (!diff.isEmpty()) {
        held.answer(w, new JsonObject().put("online", diff), HeldWatches.IMMEDIATE);
      }
    });
    return w.answer.future();
  }

  private static JsonObject differences(PresenceWatch w, Map<Long, Entry> live) {
    JsonObject out = new JsonObject();
    for (int i = 0; i < w.uids.length; i++) {
      boolean on = live.containsKey(w.uids[i]);
      if (w.known[i] != (on ? PresenceQuery.ONLINE : PresenceQuery.OFFLINE)) {
        out.put(Long.toString(w.uids[i]), on);
      }
    }
    return out;
  }

  private static List<Long> uidList(long[] uids) {
    List<Long> out = new ArrayList<>(uids.length);
    for (long u : uids) {
      out.add(u);
    }
    return out;
  }

  private static String sessionKey(String sessionId) {
    return "session:" + sessionId;
  }
}
