package io.ravenpost.mail.box;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.mail.MailPage;
import io.ravenpost.common.Db;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads and simple changes of one player's mailbox, always on that player's shard. */
public final class Mailbox {
  private final Db db;
  private final Localize localize;

  public Mailbox(Db db) {
    this(db, Localize.STORED);
  }

  /** @param localize chooses each mail's text for its reader: every read of this mailbox goes through it */
  public Mailbox(Db db, Localize localize) {
    this.db = db;
    this.localize = localize;
  }

  public Localize localize() {
    return localize;
  }

  /**
   * One page, newest first: {@code {mails, nextCursor}}. The cursor is the id of the last mail of
   * the previous page, so mail stored meanwhile never shifts a later page (no skip, no repeat).
   */
  public Future<MailPage> page(long uid, Long cursor, int limit, boolean full) {
    long now = System.currentTimeMillis();
    long before = cursor == null ? Long.MAX_VALUE : cursor;
    return db.forUid(uid).preparedQuery(full ? MailSql.FULL_PAGE : MailSql.PAGE)
        .execute(Tuple.of(uid, before, now, now, limit + 1))
        .compose(rows -> {
          List<Mail> found = new ArrayList<>();
          rows.forEach(r -> found.add(full ? Mail.fullOf(r) : Mail.summaryOf(r)));
          boolean more = found.size() > limit;
          List<Mail> shown = more ? found.subList(0, limit) : found;
          return localize.apply(uid, shown).map(mails -> new MailPage(new JsonArray(mails.stream()
              .map(m -> full ? m.full() : m.summary()).toList()),
              more ? Long.toString(shown.get(shown.size() - 1).id()) : null));
        });
  }

  /** The mail if it is the caller's and not deleted (expired mail is returned: callers say MAIL_EXPIRED). */
  Future<Mail> find(long uid, long mailId) {
    long now = System.currentTimeMillis();
    return db.forUid(uid).preparedQuery(MailSql.GET).execute(Tuple.of(uid, mailId)).map(rows -> {
      if (rows.size() == 0) {
        return null;
      }
      Row r = rows.iterator().next();
      Mail m = Mail.fullOf(r);
      return r.getLong("deleted_at") != null || m.createdAt() > now ? null : m;
    });
  }

  public Future<Mail> require(long uid, long mailId) {
    return find(uid, mailId).compose(m -> m == null
        ? Future.failedFuture(ErrorCode.NOT_FOUND.error("no mail " + mailId)) : Future.succeededFuture(m));
  }

  /** The mail as {@link #require} finds it, in the reader's language. */
  public Future<Mail> shown(long uid, long mailId) {
    return require(uid, mailId).compose(m -> localize.apply(uid, List.of(m))).map(shown -> shown.get(0));
  }

  public Future<Long> unread(long uid) {
    long now = System.currentTimeMillis();
    return db.read(() -> db.forUid(uid).preparedQuery(MailSql.UNREAD).execute(Tuple.of(uid, now, now)))
        .map(rows -> rows.iterator().next().getLong(0));
  }

  /** The unread count and the time it goes stale without any write (epoch ms; Long.MAX_VALUE: never). */
  record UnreadState(long unread, long until) {
  }

  Future<UnreadState> unreadState(long uid) {
    long now = System.currentTimeMillis();
    return db.read(() -> db.forUid(uid).preparedQuery(MailSql.UNREAD_STATE).execute(Tuple.of(now, now, now, now, now, uid)))
        .map(rows -> {
          Row r = rows.iterator().next();
          Long count = r.getLong(0);
          Long start = r.getLong(1);
          Long expiry = r.getLong(2);
          return new UnreadState(count == null ? 0 : count, Math.min(start == null ? Long.MAX_VALUE : start,
              expiry == null ? Long.MAX_VALUE : expiry));
        });
  }

  /** Unread counts of many players: one grouped query per shard touched. */
  public Future<Map<Long, Long>> unread(List<Long> uids) {
    long now = System.currentTimeMillis();
    Map<Integer, List<Long>> byShard = byShard(uids);
    List<Future<Map<Long, Long>>> parts = new ArrayList<>();
    for (List<Long> part : byShard.values()) {
      List<Object> args = new ArrayList<>(part);
      args.add(now);
      args.add(now);
      String sql = MailSql.unreadMany(part.size());
      parts.add(db.read(() -> db.forUid(part.get(0)).preparedQuery(sql).execute(Tuple.from(args)))
          .map(rows -> {
            Map<Long, Long> m = new HashMap<>();
            part.forEach(u -> m.put(u, 0L));
            rows.forEach(r -> m.put(r.getLong(0), r.getLong(1)));
            return m;
          }));
    }
    return Future.all(parts).map(cf -> {
      Map<Long, Long> all = new HashMap<>();
      for (int i = 0; i < cf.size(); i++) {
        all.putAll(cf.<Map<Long, Long>>resultAt(i));
      }
      return all;
    });
  }

  /** The newest mail id a player has ever had (0 for none), for the new-mail marker's compare. */
  public Future<Long> maxId(long uid) {
    return db.forUid(uid).preparedQuery(MailSql.MAX_ID).execute(Tuple.of(uid)).map(rows -> {
      Long v = rows.iterator().next().getLong(0);
      return v == null ? 0L : v;
    });
  }

  public Map<Integer, List<Long>> byShard(List<Long> uids) {
    Map<Integer, List<Long>> out = new TreeMap<>();
    for (Long u : uids) {
      out.computeIfAbsent(db.shardOf(u), k -> new ArrayList<>()).add(u);
    }
    return out;
  }
}
