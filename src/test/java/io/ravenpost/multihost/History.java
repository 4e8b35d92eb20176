package io.ravenpost.multihost;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the nemesis run saw, in order: what clients sent and received (with the client's
 * receive time and, where a reply carries it, the server's serverTime; all namespaces share this
 * machine's clock), what the mail sender was told, and when each fault began and ended. The
 * checker reads only this, and it is written out as JSON for a look afterwards.
 */
final class History {
  /**
   * One observation. {@code seq} orders events of one connection as they arrived (a connection's
   * frames are handled one at a time); {@code conn} names a client connection ({@code p3#7}: player
   * 3's 7th), {@code session} the server's session id once logged in.
   */
  record Event(long seq, long at, String type, String conn, long uid, int host, JsonObject data) {
    JsonObject toJson() {
      return new JsonObject().put("seq", seq).put("at", at).put("type", type).put("conn", conn).put("uid", uid)
          .put("host", host).put("data", data);
    }

    long serverTime() {
      return data.getLong("serverTime", -1L);
    }
  }

  private final AtomicLong seq = new AtomicLong();
  private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();

  Event add(String type, String conn, long uid, int host, JsonObject data) {
    return addAt(System.currentTimeMillis(), type, conn, uid, host, data);
  }

  /** An event at a given time: for checking the checker on histories made up by hand. */
  Event addAt(long at, String type, String conn, long uid, int host, JsonObject data) {
    // seq and the append happen together so that seq order is list order.
    synchronized (this) {
      Event e = new Event(seq.incrementAndGet(), at, type, conn, uid, host, data == null ? new JsonObject() : data);
      events.add(e);
      return e;
    }
  }

  Event mark(String type, JsonObject data) {
    return add(type, null, 0, -1, data);
  }

  List<Event> events() {
    List<Event> out = new ArrayList<>(events);
    out.sort(Comparator.comparingLong(Event::seq));
    return out;
  }

  List<Event> ofType(String type) {
    return events().stream().filter(e -> e.type().equals(type)).toList();
  }

  JsonArray toJson() {
    JsonArray a = new JsonArray();
    events().forEach(e -> a.add(e.toJson()));
    return a;
  }
}
