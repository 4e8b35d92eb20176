package io.ravenpost.online.watch;

import io.ravenpost.api.Addresses;
import io.ravenpost.api.ClientOp;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.Headers;
import io.ravenpost.api.RavenException;
import io.ravenpost.common.Errors;
import io.ravenpost.common.Fields;
import io.ravenpost.common.config.WatchConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonObject;

/**
 * Unread-count watches (seed 001, {@link WatchAddresses#MAIL_WATCH}): "the count is N as far as I
 * know" is answered only once the count is not N. The mail role is only asked, never told: it
 * publishes {@link WatchAddresses#UNREAD_CHANGED} and answers {@code mail.unread}.
 */
final class UnreadWatches {
  private static final long QUERY_TIMEOUT_MS = 5000;
  private static final int MAX_NAME = 200;

  private final Vertx vertx;
  private final WatchConfig cfg;
  private final HeldWatches held;
  private final WatchIndex index;

  /** Waits on one uid; the watcher key is watcher and uid, so one watcher may watch many uids. */
  private static final class UnreadWatch extends Watch {
    final long known;

    UnreadWatch(Message<JsonObject> msg, String watcher, String ref, long uid, long known) {
      super(msg, watcher == null ? null : watcher + "|" + uid, ref, new long[] {uid});
      this.known = known;
    }

    @Override
    Kind kind() {
      return Kind.UNREAD;
    }

    @Override
    JsonObject unchanged() {
      return answer(known);
    }
  }

  UnreadWatches(Vertx vertx, WatchConfig cfg, HeldWatches held) {
    this.vertx = vertx;
    this.cfg = cfg;
    this.held = held;
    this.index = held.index(Watch.Kind.UNREAD);
  }

  void onWatch(Message<JsonObject> m) {
    UnreadWatch w;
    try {
      JsonObject body = m.body() == null ? new JsonObject() : m.body();
      long uid = Fields.requireLong(body, "uid");
      Long known = Fields.optLong(body, "known");
      if (known != null && known < 0) {
        throw Fields.bad("known", "must not be negative");
      }
      long wait = PresenceQuery.waitFor(cfg, body);
      if (known == null || wait == 0) {
        answerNow(m, uid);
        return;
      }
      w = new UnreadWatch(m, Fields.optString(body, "watcher", MAX_NAME), Fields.optString(body, "ref", MAX_NAME),
          uid, known);
      held.park(w, wait);
    } catch (RuntimeException e) {
      Errors.fail(m, e);
      return;
    }
    // Parked before asking, so a change published while the question is out still wakes it.
    unread(w.uids[0]).onComplete(ar -> {
      if (ar.failed()) {
        held.fail(w, ar.cause(), HeldWatches.FAILED);
      } else if (ar.result() != w.known) {
        held.answer(w, answer(ar.result()), HeldWatches.IMMEDIATE);
      }
    });
  }

  /**
   * {@code {uid, unread}} from the mail role on any node. Changes close together may arrive out of
   * order, so the count is read again before waking anybody; the published one serves only when
   * that read fails.
   */
  void onChanged(JsonObject ev) {
    Long uid;
    Long published;
    try {
      uid = Fields.optLong(ev, "uid");
      published = Fields.optLong(ev, "unread");
    } catch (RavenException e) {
      return;
    }
    if (uid == null || index.waitingOn(uid).isEmpty()) {
      return;
    }
    unread(uid).onComplete(ar -> {
      if (ar.succeeded()) {
        wake(uid, ar.result());
      } else if (published != null) {
        wake(uid, published);
      }
    });
  }

  private void wake(long uid, long unread) {
    for (Watch w : index.waitingOn(uid)) {
      if (((UnreadWatch) w).known != unread) {
        held.answer(w, answer(unread), HeldWatches.CHANGED);
      }
    }
  }

  private void answerNow(Message<JsonObject> m, long uid) {
    unread(uid).onComplete(ar -> {
      if (ar.succeeded()) {
        m.reply(answer(ar.result()));
        held.count(Watch.Kind.UNREAD, HeldWatches.IMMEDIATE);
      } else {
        Errors.fail(m, ar.cause());
        held.count(Watch.Kind.UNREAD, HeldWatches.FAILED);
      }
    });
  }

  /** Asks the mail role; a node without it anywhere in the cluster makes this UNAVAILABLE. */
  private Future<Long> unread(long uid) {
    DeliveryOptions opts = new DeliveryOptions().addHeader(Headers.OP, ClientOp.MAIL_UNREAD.wire())
        .addHeader(Headers.UID, Long.toString(uid)).setSendTimeout(QUERY_TIMEOUT_MS);
    return vertx.eventBus().<JsonObject>request(Addresses.MAIL_CLIENT, new JsonObject(), opts)
        .compose(r -> {
          Long n = r.body() == null ? null : r.body().getLong("unread");
          return n == null ? Future.failedFuture(ErrorCode.INTERNAL.error("mail.unread answered without unread"))
              : Future.succeededFuture(n);
        });
  }

  private static JsonObject answer(long unread) {
    return new JsonObject().put("unread", unread);
  }
}
