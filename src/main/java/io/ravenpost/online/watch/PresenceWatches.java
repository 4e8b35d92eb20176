package io.ravenpost.online.watch;

import io.ravenpost.api.ClientOp;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Headers;
import io.ravenpost.api.RavenException;
import io.ravenpost.api.Uid;
import io.ravenpost.common.Errors;
import io.ravenpost.common.Fields;
import io.ravenpost.common.config.WatchConfig;
import io.ravenpost.online.Entry;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Presence watches (seed 001 applied to friends' online state): answered with the uids whose
 * state differs from what the watcher knows, as soon as one does. The truth is the registry; the
 * wake-ups come from the cluster-wide change feed {@link io.ravenpost.api.Addresses#ONLINE_CHANGED}, never from
 * polling Redis.
 */
final class PresenceWatches {
  private static final int MAX_NAME = 200;

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

    PresenceWatch(Message<JsonObject> msg, String watcher, String ref, PresenceQuery q, long watcherUid,
                  String sessionId, String node) {
      super(msg, watcher, ref, q.uids());
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
      return new JsonObject().put("online", new JsonObject());
    }
  }

  PresenceWatches(WatchConfig cfg, HeldWatches held, OnlineState registry) {
    this.cfg = cfg;
    this.held = held;
    this.index = held.index(Watch.Kind.PRESENCE);
    this.registry = registry;
  }

  /** {@code presence.watch} from a client, forwarded by its gate; the session is the watcher. */
  void onClient(Message<JsonObject> m) {
    try {
      String op = m.headers().get(Headers.OP);
      if (ClientOp.of(op) != ClientOp.PRESENCE_WATCH) {
        throw ErrorCode.UNKNOWN_OP.error("unknown op " + op);
      }
      String sessionId = m.headers().get(Headers.SESSION_ID);
      Long uid = Uid.tryParse(m.headers().get(Headers.UID));
      if (sessionId == null || uid == null) {
        throw ErrorCode.BAD_REQUEST.error("presence.watch needs the uid and sessionId headers");
      }
      PresenceQuery q = PresenceQuery.parse(body(m), cfg);
      watch(new PresenceWatch(m, sessionKey(sessionId), null, q, uid, sessionId,
          m.headers().get(Headers.NODE)), q.waitMs());
    } catch (RuntimeException e) {
      Errors.fail(m, e);
    }
  }

  /** {@link WatchAddresses#PRESENCE_WATCH} from a service or the HTTP API. */
  void onService(Message<JsonObject> m) {
    try {
      JsonObject body = body(m);
      PresenceQuery q = PresenceQuery.parse(body, cfg);
      String watcher = Fields.optString(body, "watcher", MAX_NAME);
      watch(new PresenceWatch(m, watcher == null ? null : "watcher:" + watcher,
          Fields.optString(body, "ref", MAX_NAME), q, 0, null, null), q.waitMs());
    } catch (RuntimeException e) {
      Errors.fail(m, e);
    }
  }

  /** {@code {uid, online, sessionId?}} from any node: wakes watches on the uid, drops a closed session's watch. */
  void onChanged(JsonObject ev) {
    Long uid;
    Boolean online;
    try {
      uid = Fields.optLong(ev, "uid");
      online = Fields.optBoolean(ev, "online");
    } catch (RavenException e) {
      return;
    }
    if (uid == null || online == null) {
      return;
    }
    String sessionId = ev.getValue("sessionId") instanceof String s ? s : null;
    if (!online && sessionId != null && index.ofWatcher(sessionKey(sessionId)) instanceof PresenceWatch w
        && w.watcherUid == uid) {
      held.fail(w, ErrorCode.UNAVAILABLE.error("the watching session closed"), HeldWatches.GONE);
    }
    byte state = online ? PresenceQuery.ONLINE : PresenceQuery.OFFLINE;
    for (Watch w : index.waitingOn(uid)) {
      if (((PresenceWatch) w).known[PresenceQuery.indexOf(w.uids, uid)] != state) {
        held.answer(w, new JsonObject().put("online", new JsonObject().put(Long.toString(uid), online)),
            HeldWatches.CHANGED);
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
  private void watch(PresenceWatch w, long waitMs) {
    if (waitMs == 0) {
      registry.liveEntries(uidList(w.uids)).onComplete(ar -> {
        if (ar.succeeded()) {
          w.msg.reply(new JsonObject().put("online", differences(w, ar.result())));
          held.count(Watch.Kind.PRESENCE, HeldWatches.IMMEDIATE);
        } else {
          Errors.fail(w.msg, ar.cause());
          held.count(Watch.Kind.PRESENCE, HeldWatches.FAILED);
        }
      });
      return;
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

  private static JsonObject body(Message<JsonObject> m) {
    return m.body() == null ? new JsonObject() : m.body();
  }

  private static String sessionKey(String sessionId) {
    return "session:" + sessionId;
  }
}
