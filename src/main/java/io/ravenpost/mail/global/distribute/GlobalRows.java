package io.ravenpost.mail.global.distribute;

import io.ravenpost.mail.box.Mail;
import io.ravenpost.mail.global.store.GlobalMail;
import io.ravenpost.mail.global.store.GlobalSql;
import io.ravenpost.mail.global.target.GlobalPlayer;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The rows a distribution reads and writes besides the copies themselves: players' cursors, their
 * {@code users} rows, which copies exist, and which global mails are still live (the guard).
 */
final class GlobalRows {
  private GlobalRows() {
  }

  /** The live, lazily distributed ids in {@code (from, to]} that MySQL has committed. */
  static Future<List<Long>> committedIds(SqlClient primary, long from, long to) {
    return primary.preparedQuery(GlobalSql.LAZY_IDS_BETWEEN).execute(Tuple.of(from, to))
        .map(rows -> {
          List<Long> out = new ArrayList<>();
          rows.forEach(r -> out.add(r.getLong(0)));
          return out;
        });
  }

  /** Bodies by id, share-locked: the latest committed rows, whatever this transaction read before. */
  static Future<Map<Long, GlobalMail>> bodiesForShare(SqlConnection primary, Collection<Long> ids) {
    return primary.preparedQuery(GlobalSql.byIdsForShare(ids.size())).execute(Tuple.from(new ArrayList<>(ids)))
        .map(rows -> {
          Map<Long, GlobalMail> out = new HashMap<>();
          for (Row r : rows) {
            if (r.getLong("deleted_at") == null) {
              GlobalMail m = GlobalMail.fromRow(r);
              out.put(m.id(), m);
            }
          }
          return out;
        });
  }

  static Future<Map<Long, Long>> cursors(Pool pool, List<Long> uids) {
    return pool.preparedQuery(GlobalSql.cursors(uids.size())).execute(Tuple.from(new ArrayList<>(uids)))
        .map(rows -> {
          Map<Long, Long> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getLong(0), r.getLong(1)));
          return out;
        });
  }

  static Future<Map<Long, GlobalPlayer>> players(SqlClient pool, List<Long> uids, Collection<GlobalMail> mails) {
    if (mails.stream().noneMatch(GlobalMail::needsPlayer)) {
      return Future.succeededFuture(Map.of());
    }
    return pool.preparedQuery(GlobalSql.players(uids.size())).execute(Tuple.from(new ArrayList<>(uids)))
        .map(rows -> {
          Map<Long, GlobalPlayer> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getLong("uid"), GlobalPlayer.fromRow(r)));
          return out;
        });
  }

  static Future<Map<Long, Long>> lockCursors(SqlConnection conn, List<Long> uids) {
    long now = System.currentTimeMillis();
    List<Object> args = new ArrayList<>();
    uids.forEach(u -> args.addAll(List.of(u, 0L, now)));
    return conn.preparedQuery(GlobalSql.lockCursors(uids.size())).execute(Tuple.from(args))
        .compose(v -> conn.preparedQuery(GlobalSql.cursorsForUpdate(uids.size()))
            .execute(Tuple.from(new ArrayList<>(uids))))
        .map(rows -> {
          Map<Long, Long> out = new HashMap<>();
          rows.forEach(r -> out.put(r.getLong(0), r.getLong(1)));
          return out;
        });
  }

  static Future<Void> advance(SqlConnection conn, List<Long> uids, Map<Long, Long> locked, long top, long now) {
    List<Object> args = new ArrayList<>();
    uids.forEach(u -> args.addAll(List.of(u, Math.max(top, locked.getOrDefault(u, 0L)), now)));
    return conn.preparedQuery(GlobalSql.advanceCursors(uids.size())).execute(Tuple.from(args)).mapEmpty();
  }

  static Future<List<Mail>> copies(SqlConnection conn, Map<Long, List<GlobalMail>> plan, Set<String> already) {
    Map<Long, GlobalMail> byId = new HashMap<>();
    plan.values().forEach(l -> l.forEach(m -> byId.put(m.id(), m)));
    List<Object> args = new ArrayList<>(plan.keySet());
    args.addAll(byId.keySet());
    // By id: a planned mail is matched in constant time, not by comparing whole mails a list long.
    Map<Long, Set<Long>> planned = new HashMap<>();
    plan.forEach((uid, mails) -> planned.put(uid, mails.stream().map(GlobalMail::id).collect(Collectors.toSet())));
    return conn.preparedQuery(GlobalSql.copyIds(plan.size(), byId.size())).execute(Tuple.from(args)).map(rows -> {
      List<Mail> out = new ArrayList<>();
      for (Row r : rows) {
        long uid = r.getLong("uid");
        GlobalMail m = byId.get(r.getLong("global_id"));
        if (planned.get(uid).contains(m.id()) && !already.contains(uid + "/" + m.id())) {
          out.add(m.copy(r.getLong("id"), uid));
        }
      }
      return out;
    });
  }

  static Future<Set<Long>> live(SqlConnection conn, Collection<Long> ids) {
    return conn.preparedQuery(GlobalSql.liveForShare(ids.size())).execute(Tuple.from(new ArrayList<>(ids)))
        .map(rows -> {
          Set<Long> out = new TreeSet<>();
          rows.forEach(r -> out.add(r.getLong(0)));
          return out;
        });
  }
}
