package io.ravenpost.mail;

import io.ravenpost.api.MailLogin;
import io.ravenpost.common.Fields;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.box.UnreadCache;
import io.ravenpost.mail.box.Users;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * The mail side of a session's life, asked by the gate: at login (after the session owns its
 * registry entry) record the player and answer the unread count, which already includes mail
 * stored while the player was offline (seed 002's offline mail: it is in MySQL, listed at once);
 * at each heartbeat answer the unread count and whether new mail arrived since the last list.
 */
final class MailSessionOps {
  private final Users users;
  private final UnreadCache unread;
  private final MailNotifier notifier;

  MailSessionOps(Users users, UnreadCache unread, MailNotifier notifier) {
    this.users = users;
    this.unread = unread;
    this.notifier = notifier;
  }

  /** {@link MailLogin} → {@code {unread}}. */
  Future<JsonObject> login(JsonObject req) {
    long uid = Fields.requireLong(req, "uid");
    MailLogin login = MailLogin.fromJson(req);
    return users.loggedIn(uid, login.claims())
        .compose(v -> unread.unread(uid))
        .map(n -> new JsonObject().put("unread", n));
  }

  /** {@code {uid}} → {@code {unread, newMail}}. */
  Future<JsonObject> heartbeat(JsonObject req) {
    long uid = Fields.requireLong(req, "uid");
    Future<Long> count = unread.unread(uid);
    Future<Boolean> newMail = notifier.hasNewMail(uid).recover(t -> Future.succeededFuture(false));
    return Future.all(count, newMail)
        .map(v -> new JsonObject().put("unread", count.result()).put("newMail", newMail.result()));
  }
}
