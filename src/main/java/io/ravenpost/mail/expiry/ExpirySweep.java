package io.ravenpost.mail.expiry;

import io.ravenpost.api.feed.ChangeType;
import io.ravenpost.api.feed.FeedEntry;
import io.ravenpost.common.Db;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.MailConfig.ExpiryPolicy;
import io.ravenpost.mail.MailConfig;
import io.ravenpost.mail.box.MailMetrics;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.claim.OutboxRelay.Grant;
import io.ravenpost.mail.claim.OutboxRelay.Granted;
import io.ravenpost.mail.claim.OutboxRelay;
import io.ravenpost.mail.feed.Change;
import io.ravenpost.mail.feed.Feed;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes expired mail (it already disappeared from lists at its expiry time; this makes it
 * gone) and, later, purges what was removed. Unclaimed attachments of expiring mail follow
 * {@code mail.expiryPolicy}: discarded (each logged and counted) or granted through the outbox,
 * in the same transaction that removes the mail. Nothing is ever lost silently.
 */
public final class ExpirySweep {
  private static final Logger LOG = LoggerFactory.getLogger(ExpirySweep.class);
  static final String REASON = "expiry";
  private static final int MAX_BATCHES_PER_RUN = 20;

  private final Stores stores;
  private final MailConfig cfg;
  private final OutboxRelay relay;
  private final MailNotifier notifier;
  private final Feed feed;
  private final MailMetrics metrics;

  public ExpirySweep(Stores stores, MailConfig cfg, OutboxRelay relay, MailNotifier notifier, Feed feed,
                     MailMetrics metrics) {
    this.stores = stores;
    this.cfg = cfg;
    this.relay = relay;
    this.notifier = notifier;
    this.feed = feed;
    this.metrics = metrics;
  }

  /** Expires due mail on every shard, in batches; returns how many mails were removed. */
  public Future<Long> expire() {
    return stores.db().eachShard(pool -> expireShard(pool, 0));
  }

  /** Hard-deletes mail removed, grants delivered, and idempotency keys and send parts kept long enough ago. */
  public Future<JsonObject> purge() {
    long now = System.currentTimeMillis();
    long removedBefore = now - cfg.retentionSeconds() * 1000;
    long keysBefore = now - cfg.idempotencyKeepSeconds() * 1000;
    JsonObject out = new JsonObject().put("mail", 0L).put("outbox", 0L).put("idempotency", 0L).put("sendParts", 0L);
    Future<Void> chain = Future.succeededFuture();
    for (Pool pool : stores.db().all()) {
      chain = chain
          .compose(v -> deleteAll(stores.db(), pool, ExpirySql.PURGE_MAIL, removedBefore).map(n -> add(out, "mail", n)))
          .compose(v -> deleteAll(stores.db(), pool, ExpirySql.PURGE_OUTBOX, removedBefore).map(n -> add(out, "outbox", n)))
          .compose(v -> deleteAll(stores.db(), pool, ExpirySql.PURGE_IDEMPOTENCY, keysBefore).map(n -> add(out, "idempotency", n)))
          .compose(v -> deleteAll(stores.db(), pool, ExpirySql.PURGE_SEND_PARTS, keysBefore).map(n -> add(out, "sendParts", n)));
    }
    return chain.map(v -> out);
  }

  private Future<Integer> expireShard(Pool pool, int batches) {
    long now = System.currentTimeMillis();
    return pool.preparedQuery(ExpirySql.EXPIRED).execute(Tuple.of(now, cfg.jobBatch())).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(0);
      }
      // Keys, flattened: uid, id, uid, id, ... (a mail id alone does not name one mail).
      List<Long> ids = new ArrayList<>();
      List<Row> unclaimed = new ArrayList<>();
      for (Row r : rows) {
        ids.add(r.getLong("uid"));
        ids.add(r.getLong("id"));
        if (r.getString("attachments") != null && r.getLong("claimed_at") == null) {
          unclaimed.add(r);
        }
      }
      boolean full = rows.size() == cfg.jobBatch();
      return stores.db().tx(pool, conn -> removeIn(conn, ids, now))
          .onSuccess(removed -> {
            relay.publishNow(removed.grants());
            report(unclaimed, removed);
            notifier.changed(removed.feed(), null);
          })
          .compose(removed -> full && batches + 1 < MAX_BATCHES_PER_RUN
              ? expireShard(pool, batches + 1).map(more -> removed.count() + more)
              : Future.succeededFuture(removed.count()));
    });
  }

  /** What one batch removed, the grants it wrote (policy GRANT) and its feed entries. */
  private record Removed(List<Grant> grants, int count, List<FeedEntry> feed) {
  }

  /**
   * In one transaction: lock what is still to expire (a player may have deleted or claimed some
   * meanwhile), grant (policy GRANT) what is still unclaimed, remove them, number their changes.
   */
  private Future<Removed> removeIn(SqlConnection conn, List<Long> candidates, long now) {
    List<Object> lockArgs = new ArrayList<>(candidates);
    lockArgs.add(now);
    return conn.preparedQuery(ExpirySql.expiredForUpdate(candidates.size() / 2)).execute(Tuple.from(lockArgs))
        .compose(rows -> {
          List<Long> ids = new ArrayList<>();
          List<Change> changes = new ArrayList<>();
          rows.forEach(r -> {
            ids.add(r.getLong("uid"));
            ids.add(r.getLong("id"));
            changes.add(new Change(r.getLong("uid"), r.getLong("id"), ChangeType.EXPIRED));
          });
          if (ids.isEmpty()) {
            return Future.succeededFuture(new Removed(List.of(), 0, List.of()));
          }
          Future<List<Grant>> granted = cfg.expiryPolicy() == ExpiryPolicy.GRANT ? grantIn(conn, ids, now)
              : Future.succeededFuture(List.of());
          List<Object> args = new ArrayList<>();
          args.add(now);
          args.addAll(ids);
          args.add(now);
          return granted.compose(grants -> conn.preparedQuery(ExpirySql.markExpired(ids.size() / 2)).execute(Tuple.from(args))
              .compose(r -> feed.append(conn, changes).map(entries -> new Removed(grants, r.rowCount(), entries))));
        });
  }

  private Future<List<Grant>> grantIn(SqlConnection conn, List<Long> ids, long now) {
    return conn.preparedQuery(ExpirySql.expiredUnclaimedForUpdate(ids.size() / 2)).execute(Tuple.from(new ArrayList<>(ids)))
        .compose(rows -> {
          List<Granted> granted = new ArrayList<>();
          List<Object> args = new ArrayList<>();
          args.add(now);
          for (Row r : rows) {
            granted.add(new Granted(r.getLong("uid"), r.getLong("id"), r.getString("attachments")));
            args.add(r.getLong("uid"));
            args.add(r.getLong("id"));
          }
          if (granted.isEmpty()) {
            return Future.succeededFuture(List.of());
          }
          return conn.preparedQuery(ExpirySql.claimExpired(granted.size())).execute(Tuple.from(args))
              .compose(u -> relay.record(conn, granted, REASON));
        });
  }

  private void report(List<Row> unclaimed, Removed removed) {
    String policy = cfg.expiryPolicy().name().toLowerCase();
    metrics.expired(policy, removed.count());
    if (cfg.expiryPolicy() == ExpiryPolicy.DISCARD) {
      for (Row r : unclaimed) {
        LOG.info("expired with unclaimed attachments, discarded by policy uid={} mailId={} attachments={}",
            r.getLong("uid"), r.getLong("id"), r.getString("attachments"));
      }
    } else {
      removed.grants().forEach(g -> LOG.info(
          "expired with unclaimed attachments, granted by policy uid={} mailId={} grantId={}",
          g.uid(), g.mailId(), g.grantId()));
    }
    LOG.info("expired mails={} unclaimed={} policy={}", removed.count(), unclaimed.size(), policy);
  }

  private static Future<Long> deleteAll(Db db, Pool pool, String sql, long before) {
    return db.retrying(() -> pool.preparedQuery(sql).execute(Tuple.of(before, 1000))).compose(r -> r.rowCount() < 1000
        ? Future.succeededFuture((long) r.rowCount())
        : deleteAll(db, pool, sql, before).map(more -> more + r.rowCount()));
  }

  private static Void add(JsonObject out, String key, long n) {
    out.put(key, out.getLong(key) + n);
    return null;
  }
}
