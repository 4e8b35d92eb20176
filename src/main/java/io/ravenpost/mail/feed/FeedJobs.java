package io.ravenpost.mail.feed;

import io.ravenpost.api.feed.ChangeType;
import io.ravenpost.api.feed.FeedEntry;
import io.ravenpost.common.Db;
import io.ravenpost.mail.box.Mail;
import io.ravenpost.mail.box.MailNotifier;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The feed's periodic work, each run by one node of the cluster (the scheduler's lease): mail
 * whose {@code startsAt} passed opens (numbered and pushed within a run's interval of its time;
 * a node that dies mid-run leaves its rows due for the next run, on any node), and entries older
 * than {@code mail.feedDays} are trimmed.
 */
public final class FeedJobs {
  private static final int MAX_BATCHES_PER_RUN = 20;
  private static final int TRIM_BATCH = 5000;

  private final Db db;
  private final Feed feed;
  private final MailNotifier notifier;
  private final FeedMetrics metrics;
  private final int batch;
  private final int feedDays;

  public FeedJobs(Db db, Feed feed, MailNotifier notifier, FeedMetrics metrics, int batch, int feedDays) {
    this.db = db;
    this.feed = feed;
    this.notifier = notifier;
    this.metrics = metrics;
    this.batch = batch;
    this.feedDays = feedDays;
  }

  /** Opens the due mail of every shard; answers how many opened. */
  public Future<JsonObject> open() {
    return db.eachShard(pool -> openShard(pool, 0)).map(n -> new JsonObject().put("opened", n));
  }

  private Future<Integer> openShard(Pool pool, int batches) {
    long now = System.currentTimeMillis();
    return pool.preparedQuery(FeedSql.DUE).execute(Tuple.of(now, batch)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(0);
      }
      List<Object> keys = new ArrayList<>();
      rows.forEach(r -> {
        keys.add(r.getLong("uid"));
        keys.add(r.getLong("mail_id"));
      });
      boolean full = rows.size() == batch;
      return db.tx(pool, conn -> openIn(conn, keys, now))
          .compose(opened -> notifier.stored(opened.mails(), opened.feed()).map(v -> opened.mails().size()))
          .onSuccess(metrics::opened)
          .compose(n -> full && batches + 1 < MAX_BATCHES_PER_RUN
              ? openShard(pool, batches + 1).map(more -> n + more) : Future.succeededFuture(n));
    });
  }

  private record Opened(List<Mail> mails, List<FeedEntry> feed) {
    static final Opened NONE = new Opened(List.of(), List.of());
  }

  /** Takes the due rows (locked: another run that got them first leaves none), numbers the live ones. */
  private Future<Opened> openIn(SqlConnection conn, List<Object> candidates, long now) {
    List<Object> args = new ArrayList<>(candidates);
    args.add(now);
    return conn.preparedQuery(FeedSql.dueForUpdate(candidates.size() / 2)).execute(Tuple.from(args)).compose(rows -> {
      List<Object> taken = new ArrayList<>();
      List<Object> live = new ArrayList<>();
      List<Change> changes = new ArrayList<>();
      for (Row r : rows) {
        long uid = r.getLong("uid");
        long mailId = r.getLong("mail_id");
        taken.addAll(List.of(uid, mailId));
        if (r.getInteger("live") != null && r.getInteger("live") == 1) {
          live.addAll(List.of(uid, mailId));
          changes.add(new Change(uid, mailId, ChangeType.NEW));
        }
      }
      if (taken.isEmpty()) {
        return Future.succeededFuture(Opened.NONE);
      }
      Future<Void> removed = conn.preparedQuery(FeedSql.opened(taken.size() / 2)).execute(Tuple.from(taken)).mapEmpty();
      if (live.isEmpty()) {
        return removed.map(v -> Opened.NONE);
      }
      return removed.compose(v -> conn.preparedQuery(FeedSql.summaries(live.size() / 2)).execute(Tuple.from(live)))
          .compose(found -> {
            List<Mail> mails = new ArrayList<>();
            found.forEach(r -> mails.add(Mail.summaryOf(r)));
            return feed.append(conn, changes).map(entries -> new Opened(mails, entries));
          });
    });
  }

  /** Removes entries older than {@code mail.feedDays} on every shard; answers how many. */
  public Future<JsonObject> trim() {
    long before = System.currentTimeMillis() - feedDays * 86_400_000L;
    return db.eachShard(pool -> trimShard(pool, before)).map(n -> {
      metrics.trimmed(n);
      return new JsonObject().put("trimmed", n);
    });
  }

  private Future<Long> trimShard(Pool pool, long before) {
    return db.retrying(() -> pool.preparedQuery(FeedSql.TRIM).execute(Tuple.of(before, TRIM_BATCH)))
        .compose(r -> r.rowCount() < TRIM_BATCH ? Future.succeededFuture((long) r.rowCount())
            : trimShard(pool, before).map(more -> more + r.rowCount()));
  }
}
