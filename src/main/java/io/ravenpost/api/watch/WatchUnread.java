package io.ravenpost.api.watch;

import io.ravenpost.api.Codec;
import io.ravenpost.api.Fields;
import io.vertx.core.json.JsonObject;

/**
 * An unread-count watch: {@code {uid, known?, watcher?, waitMs?, ref?}}, answered
 * {@link io.ravenpost.api.UnreadCount} at once when the count differs from {@code known} (or
 * {@code known} is absent, or {@code waitMs} is 0), else held until it differs or the wait passes.
 * A second watch of the same {@code watcher} for the same uid answers the first.
 */
public record WatchUnread(long uid, Long known, Long waitMs, String watcher, String ref) {
  public static final Codec<WatchUnread> CODEC = Codec.json(WatchUnread::toJson, WatchUnread::fromJson);

  public JsonObject toJson() {
    JsonObject o = new JsonObject().put("uid", uid);
    if (known != null) {
      o.put("known", known);
    }
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

  public static WatchUnread fromJson(JsonObject body) {
    Long known = Fields.optLong(body, "known");
    if (known != null && known < 0) {
      throw Fields.bad("known", "must not be negative");
    }
    Long wait = Fields.optLong(body, "waitMs");
    if (wait != null && wait < 0) {
      throw Fields.bad("waitMs", "must not be negative");
    }
    return new WatchUnread(Fields.requireLong(body, "uid"), known, wait,
        Fields.optString(body, "watcher", WatchPresence.MAX_NAME), Fields.optString(body, "ref", WatchPresence.MAX_NAME));
  }
}
