package io.ravenpost.watch;

import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;

/**
 * One held watch: the request to answer later and the uids it waits on. Kept small on purpose
 * (a node may hold {@code watch.maxHeldPerNode} of them): no timer objects of its own beyond one
 * Vert.x timer id, no event-bus registration.
 */
abstract class Watch {
  enum Kind {
    UNREAD("unread"), PRESENCE("presence");

    final String tag;

    Kind(String tag) {
      this.tag = tag;
    }
  }

  /** Completed once, with the answer or a coded failure, when the watch ends. */
  final Promise<JsonObject> answer = Promise.promise();
  /** Key of the watcher within its kind (one outstanding watch per key), or null: no replacement. */
  final String watcher;
  /** The caller's name for this one request, so that it can be cancelled; or null. */
  final String ref;
  final long[] uids;
  long timer = -1;
  boolean done;

  Watch(String watcher, String ref, long[] uids) {
    this.watcher = watcher;
    this.ref = ref;
    this.uids = uids;
  }

  abstract Kind kind();

  /** The answer when the wait passes or the watch is replaced: nothing differs from what was known. */
  abstract JsonObject unchanged();
}
