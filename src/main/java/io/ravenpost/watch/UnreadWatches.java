package io.ravenpost.watch;

import io.ravenpost.api.ClientOp;
import io.ravenpost.api.ClientRequest;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.UnreadCount;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.api.mail.UnreadChanged;
import io.ravenpost.api.watch.WatchUnread;
import io.ravenpost.common.Bus;
import io.ravenpost.watch.WatchConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;

/**
 * Unread-count watches (the long-poll watch of the original design): "the count is N as far as I
 * know" is answered only once the count is not N. The mail role is only asked, never told: it
 * publishes unread changes and answers {@code mail.unread}.
 */
final class UnreadWatches {
  private static final long QUERY_TIMEOUT_MS = 5000;

  private final Vertx vertx;
  private final WatchConfig cfg;
  private final HeldWatches held;
  private final WatchIndex index;

  /** Waits on one uid; the watcher key is watcher and uid, so one watcher may watch many uids. */
  private static final class UnreadWatch extends Watch {
    final long known;

    UnreadWatch(String watcher, String ref, long uid, long known) {
      super(watcher == null ? null : watcher + "|" + uid, ref, new long[] {uid});
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

  Future<UnreadCount> onWatch(WatchUnread req) {
    long wait = PresenceQuery.waitFor(cfg, req.waitMs());
    if (req.known() == null || wait == 0) {
      return unread(req.uid())
          .onSuccess(n -> held.count(Watch.Kind.UNREAD, HeldWatches.IMMEDIATE))
          .onFailure(t -> held.count(Watch.Kind.UNREAD, HeldWatches.FAILED))
          .map(UnreadCount::new);
    }
    UnreadWatch w = new UnreadWatch(req.watcher(), req.ref(), req.uid(), req.known());
    held.park(w, wait);
    // Parked before asking, so a change published while the question is out still wakes it.
    unread(w.uids[0]).onComplete(ar -> {
      if (ar.failed()) {
        held.fail(w, ar.cause(), HeldWatches.FAILED);
      } else if (ar.result() != w.known) {
        held.answer(w, answer(ar.result()), HeldWatches.IMMEDIATE);
      }
    });
    return w.answer.future().map(j -> UnreadCount.CODEC.decode(j, null));
  }

  /**
   * A count changed on some node. Changes close together may arrive out of order, so the count is
   * read again before waking anybody; the published one serves only when that read fails.
   */
  void onChanged(UnreadChanged ev) {
    long uid = ev.uid();
    if (index.waitingOn(uid).isEmpty()) {
      return;
    }
    unread(uid).onComplete(ar -> wake(uid, ar.succeeded() ? ar.result() : ev.unread()));
  }

  private void wake(long uid, long unread) {
    for (Watch w : index.waitingOn(uid)) {
      if (((UnreadWatch) w).known != unread) {
        held.answer(w, answer(unread), HeldWatches.CHANGED);
      }
    }
  }

  /** Asks the mail role; a node without it anywhere in the cluster makes this UNAVAILABLE. */
  private Future<Long> unread(long uid) {
    return Bus.request(vertx, MailAddresses.CLIENT, ClientRequest.forUid(ClientOp.MAIL_UNREAD, uid),
            new DeliveryOptions().setSendTimeout(QUERY_TIMEOUT_MS))
        .compose(r -> r.getValue("unread") instanceof Number n ? Future.succeededFuture(n.longValue())
            : Future.failedFuture(ErrorCode.INTERNAL.error("mail.unread answered without unread")));
  }

  private static JsonObject answer(long unread) {
    return UnreadCount.CODEC.encode(new UnreadCount(unread));
  }
}
