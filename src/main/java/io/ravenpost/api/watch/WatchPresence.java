package io.ravenpost.api.watch;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.ravenpost.api.Uid;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A presence watch, the body of {@code presence.watch} and of the services' presence address:
 * {@code {uids: [≤ 200], known?: {uid: bool}, waitMs?, watcher?, ref?}}. Answered
 * {@link PresenceAnswer} with only the uids whose state differs from {@code known} (a uid missing
 * from it always differs), held until one differs or the wait passes.
 *
 * @param watcher the caller's name: a second watch of the same watcher answers the first
 * @param ref     this request's name, so that it can be cancelled ({@link WatchCancel})
 */
public record WatchPresence(List<Long> uids, Map<Long, Boolean> known, Long waitMs, String watcher, String ref) {
  public static final int MAX_UIDS = 200;
  public static final int MAX_NAME = 200;
  public static final Codec<WatchPresence> CODEC = Codec.json(WatchPresence::toJson, WatchPresence::fromJson);

  public JsonObject toJson() {
    JsonObject k = new JsonObject();
    known.forEach((uid, on) -> k.put(Long.toString(uid), on));
    JsonObject o = new JsonObject().put("uids", new JsonArray(new ArrayList<>(uids))).put("known", k);
    if (waitMs != null) {
      o.put("waitMs", waitMs);
    }
    if (watcher != null) {
      o.put("watcher", watcher);
    }
    if (ref != null) {
      o.put("ref", ref);
    }
    return o;
  }

  public static WatchPresence fromJson(JsonObject body) {
    JsonArray list = Fields.optArray(body, "uids", MAX_UIDS);
    if (list == null || list.isEmpty()) {
      throw Fields.bad("uids", "must list 1 to " + MAX_UIDS + " uids");
    }
    Set<Long> distinct = new LinkedHashSet<>();
    for (Object v : list) {
      Long uid = v instanceof Integer || v instanceof Long ? Long.valueOf(((Number) v).longValue())
          : v instanceof String s ? Uid.tryParse(s) : null;
      if (uid == null) {
        throw Fields.bad("uids", "must hold int64 uids (numbers or decimal strings), not " + v);
      }
      distinct.add(uid);
    }
    Map<Long, Boolean> known = new LinkedHashMap<>();
    JsonObject given = Fields.optObject(body, "known");
    if (given != null) {
      if (given.size() > MAX_UIDS) {
        throw Fields.bad("known", "has more than " + MAX_UIDS + " entries");
      }
      for (Map.Entry<String, Object> e : given) {
        Long uid = Uid.tryParse(e.getKey());
        if (uid == null) {
          throw Fields.bad("known", "keys must be decimal uids, not " + e.getKey());
        }
        if (!(e.getValue() instanceof Boolean b)) {
          throw Fields.bad("known", "values must be booleans (uid " + e.getKey() + ")");
        }
        known.put(uid, b);
      }
    }
    Long wait = Fields.optLong(body, "waitMs");
    if (wait != null && wait < 0) {
      throw Fields.bad("waitMs", "must not be negative");
    }
    return new WatchPresence(new ArrayList<>(distinct), known, wait, Fields.optString(body, "watcher", MAX_NAME),
        Fields.optString(body, "ref", MAX_NAME));
  }
}
