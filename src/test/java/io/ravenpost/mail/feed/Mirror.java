package io.ravenpost.mail.feed;

import io.ravenpost.testkit.TestClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One player's mailbox as a game client keeps it from the change feed only: a full list when it
 * has no feed position (first login, or the server said resync), then login seq, pushes and
 * mail.sync (which also brings the client's own changes, never pushed to it). It never lists again to repair itself: what it holds at the end is what
 * the feed told it.
 */
final class Mirror {
  /** Mail id to {@code {read, claimed}} (what a client shows). */
  final Map<Long, JsonObject> box = new TreeMap<>();
  long seq = -1;
  String epoch;
  int syncs;
  int resyncs;
  private final List<JsonObject> waiting = new ArrayList<>();

  /** After a login: catch up from the last seq, or load everything when there is none. */
  void loggedIn(TestClient c, JsonObject login) {
    waiting.clear();
    if (seq < 0 || epoch == null) {
      reload(c, login.getLong("seq"), login.getString("epoch"));
    } else {
      sync(c);
    }
  }

  /** Pushes and own changes, applied in seq order; a gap is filled by mail.sync first. */
  void take(TestClient c) {
    for (JsonObject p : c.drainPushes()) {
      JsonObject body = p.getJsonObject("body");
      switch (p.getString("op")) {
        case "mail.new" -> {
          JsonObject mail = body.getJsonObject("mail");
          JsonObject change = new JsonObject().put("type", "new").put("mailId", mail.getLong("mailId")).put("mail", mail);
          if (body.getLong("seq") == null) {
            apply(change);
          } else {
            waiting.add(change.put("seq", body.getLong("seq")));
          }
        }
        case "mail.changed" -> waiting.add(body.getJsonObject("change"));
        default -> {
        }
      }
    }
    drain(c);
  }

  private void drain(TestClient c) {
    waiting.sort(Comparator.comparingLong(w -> w.getLong("seq")));
    while (!waiting.isEmpty()) {
      JsonObject next = waiting.get(0);
      long s = next.getLong("seq");
      if (s <= seq) {
        waiting.remove(0);
      } else if (s == seq + 1) {
        waiting.remove(0);
        apply(next);
        seq = s;
      } else {
        long before = seq;
        sync(c);
        if (seq == before) {
          throw new AssertionError("seq " + s + " pushed but mail.sync from " + seq + " brought nothing");
        }
      }
    }
  }

  /** mail.sync until {@code more} is false; a resync reloads. */
  void sync(TestClient c) {
    while (true) {
      syncs++;
      JsonObject r = c.callSync("mail.sync", new JsonObject().put("since", seq).put("epoch", epoch));
      if (Boolean.TRUE.equals(r.getBoolean("resync"))) {
        resyncs++;
        reload(c, r.getLong("seq"), r.getString("epoch"));
        return;
      }
      JsonArray changes = r.getJsonArray("changes");
      for (int i = 0; i < changes.size(); i++) {
        JsonObject ch = changes.getJsonObject(i);
        if (ch.getLong("seq") != seq + 1) {
          throw new AssertionError("mail.sync from " + seq + " answered seq " + ch.getLong("seq"));
        }
        apply(ch);
        seq = ch.getLong("seq");
      }
      if (!r.getBoolean("more")) {
        return;
      }
    }
  }

  private void reload(TestClient c, long at, String newEpoch) {
    box.clear();
    box.putAll(listed(c));
    seq = at;
    epoch = newEpoch;
  }

  private void apply(JsonObject change) {
    long id = change.getLong("mailId");
    switch (change.getString("type")) {
      case "new" -> box.put(id, shown(change.getJsonObject("mail")));
      case "read" -> box.computeIfPresent(id, (k, v) -> v.copy().put("read", true));
      case "claimed" -> box.computeIfPresent(id, (k, v) -> v.copy().put("read", true).put("claimed", true));
      default -> box.remove(id);
    }
  }

  private static JsonObject shown(JsonObject summary) {
    return new JsonObject().put("read", summary.getBoolean("read")).put("claimed", summary.getBoolean("claimed"));
  }

  /** The whole mailbox as mail.list shows it now. */
  static Map<Long, JsonObject> listed(TestClient c) {
    Map<Long, JsonObject> out = new TreeMap<>();
    String cursor = null;
    do {
      JsonObject q = new JsonObject().put("limit", 100);
      if (cursor != null) {
        q.put("cursor", cursor);
      }
      JsonObject page = c.callSync("mail.list", q);
      page.getJsonArray("mails").forEach(o -> {
        JsonObject m = (JsonObject) o;
        out.put(m.getLong("mailId"), shown(m));
      });
      cursor = page.getString("nextCursor");
    } while (cursor != null);
    return out;
  }
}
