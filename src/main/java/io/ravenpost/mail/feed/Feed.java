package io.ravenpost.mail.feed;

import io.ravenpost.api.feed.ChangeType;
import io.ravenpost.api.feed.FeedEntry;
import io.ravenpost.common.Db;
import io.ravenpost.mail.box.Mail;
import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes the change feed inside the transactions that change mailboxes (DESIGN.md rule 11): each
 * change gets its player's next {@code seq} and an entry, committed with the change or not at all.
 * Called once per transaction, as its last statements, so heads are locked last and in uid order.
 */
public final class Feed {
  private final Epochs epochs;

  public Feed(Db db) {
    this.epochs = new Epochs(db);
  }

  /** The shard epochs, for logins and syncs. */
  public Epochs epochs() {
    return epochs;
  }

  /** Numbers {@code changes} (in their order, per player) and writes their entries. */
  public Future<List<FeedEntry>> append(SqlConnection conn, List<Change> changes) {
    if (changes.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    long now = System.currentTimeMillis();
    TreeMap<Long, Integer> counts = new TreeMap<>();
    changes.forEach(c -> counts.merge(c.uid(), 1, Integer::sum));
    return heads(conn, counts).compose(heads -> {
      Map<Long, Long> next = new HashMap<>();
      counts.forEach((uid, n) -> next.put(uid, heads.get(uid) - n + 1));
      List<FeedEntry> out = new ArrayList<>(changes.size());
      List<Object> args = new ArrayList<>(changes.size() * 5);
      for (Change c : changes) {
        long seq = next.merge(c.uid(), 1L, Long::sum) - 1;
        out.add(new FeedEntry(c.uid(), seq, c.type(), c.mailId()));
        args.add(c.uid());
        args.add(seq);
        args.add(c.type().wire());
        args.add(c.mailId());
        args.add(now);
      }
      return conn.preparedQuery(FeedSql.insert(out.size())).execute(Tuple.from(args)).map(r -> out);
    });
  }

  /**
   * New mail just inserted: a {@code new} change for each one visible now, and an opening row for
   * each one with a later {@code startsAt} (its change is made when it opens). Answers the changes
   * to append, in the mails' order.
   */
  public Future<List<Change>> added(SqlConnection conn, List<Mail> mails, long now) {
    List<Change> changes = new ArrayList<>();
    List<Object> later = new ArrayList<>();
    for (Mail m : mails) {
      if (m.createdAt() <= now) {
        changes.add(new Change(m.uid(), m.id(), ChangeType.NEW));
      } else {
        later.addAll(List.of(m.uid(), m.id(), m.createdAt()));
      }
    }
    if (later.isEmpty()) {
      return Future.succeededFuture(changes);
    }
    return conn.preparedQuery(FeedSql.opening(later.size() / 3)).execute(Tuple.from(later)).map(r -> changes);
  }

  /** Moves the heads by their counts and answers their new values (in one statement for one player). */
  private static Future<Map<Long, Long>> heads(SqlConnection conn, TreeMap<Long, Integer> counts) {
    if (counts.size() == 1) {
      long uid = counts.firstKey();
      int n = counts.firstEntry().getValue();
      return conn.preparedQuery(FeedSql.BUMP_ONE).execute(Tuple.of(uid, n))
          .map(r -> Map.of(uid, r.property(MySQLClient.LAST_INSERTED_ID)));
    }
    List<Object> args = new ArrayList<>(counts.size() * 2);
    counts.forEach((uid, n) -> {
      args.add(uid);
      args.add(n);
    });
    List<Object> uids = new ArrayList<>(counts.keySet());
    // The read is queued behind the bump, not chained after its answer (one callback hop fewer):
    // it sees the bump, as both run in order in the caller's transaction.
    Future<?> bumped = conn.preparedQuery(FeedSql.bump(counts.size())).execute(Tuple.from(args));
    Future<RowSet<Row>> read = conn.preparedQuery(FeedSql.heads(uids.size())).execute(Tuple.from(uids));
    return bumped.compose(v -> read)
        .map(rows -> {
          Map<Long, Long> heads = new HashMap<>();
          for (Row r : rows) {
            heads.put(r.getLong("uid"), r.getLong("seq"));
          }
          return heads;
        });
  }
}
