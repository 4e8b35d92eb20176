package io.ravenpost.mail;

import io.ravenpost.api.mail.HeartbeatReply;
import io.ravenpost.api.mail.MailLogin;
import io.ravenpost.api.mail.MailSessions;
import io.ravenpost.mail.box.UnreadCache;
import io.ravenpost.mail.box.Users;
import io.vertx.core.Future;

/**
 * The mail side of a session's life, asked by the gate: at login (after the session owns its
 * registry entry) record the player and answer the unread count, which already includes mail
 * stored while the player was offline (the mail-server design's offline mail: it is in MySQL, listed at once);
 * at each heartbeat answer the unread count and whether new mail arrived since the last list.
 */
final class MailSessionOps implements MailSessions {
  private final Users users;
  private final UnreadCache unread;

  MailSessionOps(Users users, UnreadCache unread) {
    this.users = users;
    this.unread = unread;
  }

  /** Records the player; answers the unread count. */
  Future<Long> login(MailLogin login) {
    return users.loggedIn(login.uid(), login.claims()).compose(v -> unread.unread(login.uid()));
  }

  /** The unread count and whether mail arrived since the last list. */
  @Override
  public Future<HeartbeatReply> heartbeat(long uid) {
    return unread.heartbeat(uid);
  }
}
