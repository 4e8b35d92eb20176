package io.ravenpost.mail.box;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.text.Locales;
import io.ravenpost.common.Db;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The V001 {@code users} table: what the cluster last saw of each player at login (the token's
 * claims). A player's row is on the player's shard; a lookup by name asks every shard.
 */
public final class Users {
  private static final int MAX_TAGS_CHARS = 512;
  private static final int MAX_FIELD_CHARS = 64;

  private final Db db;
  private final UserLoginBatcher logins;

  public Users(io.vertx.core.Vertx vertx, Db db) {
    this.db = db;
    this.logins = new UserLoginBatcher(vertx, db);
  }

  /**
   * Records a login from the verified claims ({@code {uid, name?, createdAt?, zone?, level?, tags?, locale?}},
   * {@code createdAt} in epoch seconds). Claims the token leaves out keep their stored value.
   */
  public Future<Void> loggedIn(long uid, JsonObject claims) {
    long now = System.currentTimeMillis();
    Long createdAt = claims.getValue("createdAt") instanceof Number n ? n.longValue() : null;
    Integer level = claims.getValue("level") instanceof Number n ? n.intValue() : null;
    String tags = null;
    if (claims.getValue("tags") instanceof JsonArray a) {
      List<String> all = new ArrayList<>();
      a.forEach(t -> all.add(String.valueOf(t)));
      tags = cut(String.join(",", all), MAX_TAGS_CHARS);
    }
    return logins.add(uid, new UserLoginBatcher.Row(Arrays.asList(uid,
        cut(claims.getString("name"), MAX_FIELD_CHARS), createdAt == null ? now / 1000 : createdAt,
        cut(claims.getString("zone"), MAX_FIELD_CHARS), level, tags, now, now, Locales.orNull(claims.getString("locale"))),
        createdAt != null));
  }

  /** The player's name (null if the token never had one), or NOT_FOUND if the uid never logged in. */
  public Future<String> nameOf(long uid) {
    return db.forUid(uid).preparedQuery(MailSql.USER_NAME).execute(Tuple.of(uid)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(ErrorCode.NOT_FOUND.error("no player " + uid))
        : Future.succeededFuture(rows.iterator().next().getString(0)));
  }

  /** The uid of the one player with this name; NOT_FOUND for none, BAD_REQUEST when the name is not unique. */
  public Future<Long> uidByName(String name) {
    List<Future<List<Long>>> shards = new ArrayList<>();
    for (Pool p : db.all()) {
      shards.add(p.preparedQuery(MailSql.USER_BY_NAME).execute(Tuple.of(name)).map(rows -> {
        List<Long> uids = new ArrayList<>();
        for (Row r : rows) {
          uids.add(r.getLong(0));
        }
        return uids;
      }));
    }
    return Future.all(shards).compose(cf -> {
      List<Long> found = new ArrayList<>();
      for (int i = 0; i < cf.size(); i++) {
        found.addAll(cf.<List<Long>>resultAt(i));
      }
      if (found.isEmpty()) {
        return Future.failedFuture(ErrorCode.NOT_FOUND.error("no player named " + name));
      }
      if (found.size() > 1) {
        return Future.failedFuture(ErrorCode.BAD_REQUEST.error("to.name " + name + " is not unique; send by uid"));
      }
      return Future.succeededFuture(found.get(0));
    });
  }

  private static String cut(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max);
  }
}
