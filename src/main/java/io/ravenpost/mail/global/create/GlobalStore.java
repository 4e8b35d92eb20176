package io.ravenpost.mail.global.create;

import io.ravenpost.api.AuditContext;
import io.ravenpost.api.feed.ChangeType;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.feed.FeedEntry;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.feed.Change;
import io.ravenpost.mail.feed.Feed;
import io.ravenpost.mail.global.store.GlobalCache;
import io.ravenpost.mail.global.store.GlobalConfig.RetractPolicy;
import io.ravenpost.mail.global.store.GlobalConfig;
import io.ravenpost.mail.global.store.GlobalMail;
import io.ravenpost.mail.global.store.GlobalMetrics;
import io.ravenpost.mail.global.store.GlobalSql;
import io.ravenpost.mail.send.Idempotency;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global mail rows (the global-mail design): creation in constant cost, retraction with its policy for
 * delivered copies, the operators' page with delivery counts, and segment previews.
 */
public final class GlobalStore {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalStore.class);
  private static final long REDIS_TIMEOUT_MS = 5000;

  private final NodeInfo node;
  private final Stores stores;
  private final GlobalConfig cfg;
  private final GlobalCache cache;
  private final MailNotifier notifier;
  private final Feed feed;
  private final GlobalMetrics metrics;

  public GlobalStore(NodeInfo node, Stores stores, GlobalConfig cfg, GlobalCache cache, MailNotifier notifier, Feed feed,
                     GlobalMetrics metrics) {
    this.node = node;
    this.stores = stores;
    this.cfg = cfg;
    this.cache = cache;
    this.notifier = notifier;
    this.feed = feed;
    this.metrics = metrics;
  }

  /**
   * One transaction on the primary, whatever the number of players: take the create lock, insert
   * the row, record the idempotency key (if any), and, before committing, write the body and the id
   * to Redis (lazy types). Because the id is in the ZSET before the row commits and creators take
   * turns, a reader never sees a newer id without every older one; a distribution that sees the
   * id before the commit waits for it in its guard. If Redis cannot be written the send fails and
   * nothing is created.
   */
  Future<GlobalMail> create(GlobalMail draft, String key, String hash, AuditContext who) {
    long start = System.nanoTime();
    return (draft.lazy() ? Future.succeededFuture((String) null) : reserveIds(draft.createdAt()))
        .compose(mailIds -> insert(draft, key, hash, mailIds, who))
        .onSuccess(m -> {
          metrics.created(m.type(), start);
          LOG.info("global mail {} created: type={} target={} title={} startsAt={} expiresAt={} key={}", m.id(),
              m.type(), m.target().encode(), m.title(), m.startsAt(), m.expiresAt(), key);
        });
  }

  /** One reserved mailbox id per shard for an online send's copies, as a JSON array in shard order. */
  private Future<String> reserveIds(long now) {
    List<Future<Long>> ids = stores.db().all().stream()
        .map(pool -> stores.db().retrying(() -> pool.preparedQuery(GlobalSql.RESERVE_ID).execute(Tuple.of(now, now, now)))
            .map(r -> (long) r.property(MySQLClient.LAST_INSERTED_ID)))
        .toList();
    return Future.all(ids).map(cf -> new JsonArray(cf.list()).encode());
  }

  private Future<GlobalMail> insert(GlobalMail draft, String key, String hash, String mailIds, AuditContext who) {
    return stores.db().tx(stores.db().primary(), conn -> conn.query(GlobalSql.LOCK_CREATE).execute()
        .compose(v -> conn.preparedQuery(GlobalSql.INSERT).execute(Tuple.from(Arrays.asList(draft.type(),
            draft.segment() == null ? null : draft.segment().toJson().encode(), draft.from(), draft.title(),
            draft.body(), draft.attachments(), draft.startsAt(), draft.expiresAt(), draft.createdAt(),
            draft.lazy() ? null : node.id(), draft.lazy() ? draft.createdAt() : null, mailIds, draft.textId()))))
        .compose(r -> {
          GlobalMail m = draft.withId(r.property(MySQLClient.LAST_INSERTED_ID));
          Future<Void> idem = (key == null ? Future.<Void>succeededFuture()
              : Idempotency.put(conn, key, hash, result(m.id())))
              .compose(v -> who == null ? Future.<Void>succeededFuture()
                  : AuditLog.record(conn, who, AuditContext.SEND_GLOBAL, "global mail " + m.id() + " to "
                      + m.target().encode() + ": " + m.title(), AuditLog.OK));
          return idem.compose(v -> m.lazy() ? cache.put(m).timeout(REDIS_TIMEOUT_MS, TimeUnit.MILLISECONDS)
              : Future.<Void>succeededFuture()).map(v -> m);
        }));
  }

  static JsonObject result(long globalMailId) {
    return new JsonObject().put("globalMailId", globalMailId);
  }

  /**
   * DELETE: {@code deleted_at} (waits for distributions holding the guard, so once it committed no
   * copy can be inserted any more), ZREM, body expiry, then the copies per {@code retractPolicy}
   * within {@code withdrawBudgetMs} (the rest continues in the background; the repair job finishes
   * a withdrawal a dead node left). Deleting twice is not an error.
   */
  public Future<Void> retract(long id, AuditContext who) {
    long now = System.currentTimeMillis();
    return stores.db().tx(stores.db().primary(), conn -> conn.preparedQuery(GlobalSql.RETRACT).execute(Tuple.of(now, id))
            .compose(r -> conn.preparedQuery(GlobalSql.STATE).execute(Tuple.of(id)))
            .compose(rows -> rows.size() == 0
                ? Future.<Row>failedFuture(ErrorCode.NOT_FOUND.error("no global mail " + id))
                : Future.succeededFuture(rows.iterator().next()))
            .compose(st -> who == null ? Future.succeededFuture(st)
                : AuditLog.record(conn, who, AuditContext.RETRACT, "global mail " + id, AuditLog.OK).map(v -> st)))
        .compose(st -> {
          LOG.info("global mail {} retracted (policy {})", id, cfg.retractPolicy());
          Future<Void> redis = cache.retracted(id, cfg.deletedBodySeconds()).recover(t -> {
            LOG.warn("cache of retracted global mail {} not cleared ({}); the repair job will", id, t.getMessage());
            return Future.succeededFuture();
          });
          if (st.getLong("withdrawn_at") != null) {
            return redis;
          }
          return redis.compose(v -> withdraw(id).<Void>mapEmpty()
              .timeout(Math.max(1, cfg.withdrawBudgetMs()), TimeUnit.MILLISECONDS)
              .recover(t -> {
                if (t instanceof TimeoutException) {
                  LOG.info("withdrawal of global mail {} goes on in the background", id);
                  return Future.succeededFuture();
                }
                return Future.failedFuture(t);
              }));
        });
  }

  /** Withdraws delivered copies per policy on every shard, then records that it finished; answers how many. */
  Future<Integer> withdraw(long id) {
    long visibleAfter = cfg.retractPolicy() == RetractPolicy.WITHDRAW_UNCLAIMED ? Long.MIN_VALUE
        : System.currentTimeMillis();
    Future<Integer> chain = Future.succeededFuture(0);
    for (Pool pool : stores.db().all()) {
      chain = chain.compose(n -> withdrawShard(pool, id, visibleAfter).map(m -> n + m));
    }
    return chain.compose(n -> stores.db().primary().preparedQuery(GlobalSql.WITHDRAWN)
            .execute(Tuple.of(System.currentTimeMillis(), id)).map(v -> n))
        .onSuccess(n -> LOG.info("global mail {}: {} copies withdrawn", id, n));
  }

  private Future<Integer> withdrawShard(Pool pool, long id, long visibleAfter) {
    return pool.preparedQuery(GlobalSql.WITHDRAWABLE).execute(Tuple.of(id, visibleAfter, cfg.withdrawBatch()))
        .compose(rows -> {
          List<Long> uids = new ArrayList<>();
          rows.forEach(r -> uids.add(r.getLong(0)));
          if (uids.isEmpty()) {
            return Future.succeededFuture(0);
          }
          return stores.db().tx(pool, conn -> withdrawIn(conn, id, uids, visibleAfter)).compose(entries -> {
            metrics.withdrawn(entries.size());
            notifier.changed(entries, null);
            return uids.size() < cfg.withdrawBatch() ? Future.succeededFuture(entries.size())
                : withdrawShard(pool, id, visibleAfter).map(more -> entries.size() + more);
          });
        });
  }

  /** Withdraws the copies still withdrawable among {@code uids}, with their feed entries. */
  private Future<List<FeedEntry>> withdrawIn(SqlConnection conn, long id, List<Long> uids, long visibleAfter) {
    List<Object> args = new ArrayList<>();
    uids.forEach(u -> args.addAll(List.of(u, id)));
    args.add(visibleAfter);
    return conn.preparedQuery(GlobalSql.withdrawableForUpdate(uids.size())).execute(Tuple.from(args)).compose(rows -> {
      List<Object> keys = new ArrayList<>();
      keys.add(System.currentTimeMillis());
      List<Change> changes = new ArrayList<>();
      rows.forEach(r -> {
        keys.add(r.getLong("uid"));
        keys.add(r.getLong("id"));
        changes.add(new Change(r.getLong("uid"), r.getLong("id"), ChangeType.RETRACTED));
      });
      if (changes.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      return conn.preparedQuery(GlobalSql.withdraw(changes.size())).execute(Tuple.from(keys))
          .compose(u -> feed.append(conn, changes));
    });
  }
}
