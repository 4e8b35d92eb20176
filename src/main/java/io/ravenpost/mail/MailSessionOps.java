package io.ravenpost.mail;

import io.micrometer.core.instrument.MeterRegistry;
import io.ravenpost.api.mail.HeartbeatReply;
import io.ravenpost.api.mail.MailLogin;
import io.ravenpost.api.mail.MailLoginReply;
import io.ravenpost.api.mail.MailSessions;
import io.ravenpost.common.Stages;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.box.UnreadCache;
import io.ravenpost.mail.box.Users;
import io.ravenpost.mail.feed.FeedReader;
import io.ravenpost.mail.global.GlobalMailRole;
import io.vertx.core.Future;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import java.util.ArrayList;
import java.util.List;

/**
 * The mail side of a session's life, asked by the gate: at login (after the session owns its
 * registry entry) record the player and answer the unread count, which already includes mail
 * stored while the player was offline (the mail-server design's offline mail: it is in MySQL, listed at once)
 * and global mail owed to it, and the change feed's position;
 * at each heartbeat answer the unread count and whether new mail arrived since the last list.
 */
final class MailSessionOps implements MailSessions {
  private final Stores stores;
  private final Users users;
  private final UnreadCache unread;
  private final GlobalMailRole global;
  private final FeedReader feed;
  private final Stages stages;

  MailSessionOps(MeterRegistry metrics, Stores stores, Users users, UnreadCache unread, GlobalMailRole global, FeedReader feed) {
    this.stores = stores;
    this.users = users;
    this.unread = unread;
    this.global = global;
    this.feed = feed;
    this.stages = new Stages(metrics, "raven_mail_login_stage_seconds",
        "Each step of the mail side of a login: the users row, the Redis reads beside it, the unread count "
            + "(MySQL only when the cache missed), global mail owed, the feed position",
        "users", "reads", "unread", "global", "feed");
  }

  /**
   * The users row is written while Redis is asked, in one round trip, for the cached unread count
   * and whether the player has every global mail; global mail waits for the row (a segment
   * target reads the player's zone, level and tags from it).
   */
  @Override
  public Future<MailLoginReply> login(MailLogin login) {
    long uid = login.uid();
    Future<Void> recorded = stages.time("users", () -> users.loggedIn(uid, login.claims()));
    List<Request> asked = new ArrayList<>();
    asked.add(unread.countRead(uid));
    asked.addAll(global.upToDateReads(uid));
    Future<List<Response>> reads = stages.time("reads", () -> stores.redisBatch(asked));
    return Future.join(recorded, reads).transform(done -> {
      if (recorded.failed()) {
        return Future.failedFuture(recorded.cause());
      }
      // A failed batch (one read's slot failing over, Redis unreachable) reads the count alone,
      // which falls back to MySQL only if Redis cannot answer it, and catches up on global mail.
      List<Response> r = reads.succeeded() ? reads.result() : null;
      boolean upToDate = r != null && global.upToDateIn(r.subList(1, r.size()));
      return stages.time("unread", () -> r != null ? unread.counted(uid, r.get(0)) : unread.unread(uid))
          .compose(n -> stages.time("global", () -> global.afterLogin(uid, n, upToDate)));
    }).compose(n -> stages.time("feed", () -> feed.position(uid)).map(at -> new MailLoginReply(n, at.seq(), at.epoch())));
  }

  /** The unread count and whether mail arrived since the last list. */
  @Override
  public Future<HeartbeatReply> heartbeat(long uid) {
    return unread.heartbeat(uid);
  }
}
