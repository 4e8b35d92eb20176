package io.ravenpost.mail.global;

import io.ravenpost.api.mail.MailPage;
import io.ravenpost.api.mail.PreviewResult;
import io.ravenpost.api.AuditContext;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.api.Fields;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.global.GlobalConfig.RetractPolicy;
import io.ravenpost.mail.global.GlobalConfig;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.global.target.GlobalSegment;
import io.ravenpost.mail.send.Idempotency;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global mail rows (seed 000): creation in constant cost, retraction with its policy for
 * delivered copies, the operators' page with delivery counts, and segment previews.
 */
final class GlobalStore {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalStore.class);
  private static final long REDIS_TIMEOUT_MS = 5000;

  private final NodeInfo node;
  private final Stores stores;
  private final OnlineState registry;
  private final GlobalConfig cfg;
  private final GlobalCache cache;
  private final MailNotifier notifier;
  private final GlobalMetrics metrics;

  GlobalStore(NodeInfo node, Stores stores, GlobalConfig cfg, GlobalCache cache, MailNotifier notifier, GlobalMetrics metrics,
              OnlineState registry) {
    this.registry = registry;
    this.node = node;
    this.stores = stores;
    this.cfg = cfg;
    this.cache = cache;
    this.notifier = notifier;
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
            draft.lazy() ? null : node.id(), draft.lazy() ? draft.createdAt() : null, mailIds))))
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
  Future<Void> retract(long id, AuditContext who) {
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
          List<Object> args = new ArrayList<>(List.of(System.currentTimeMillis(), id));
          args.addAll(uids);
          args.add(visibleAfter);
          String sql = GlobalSql.withdraw(uids.size());
          return stores.db().retrying(() -> pool.preparedQuery(sql).execute(Tuple.from(args))).compose(u -> {
            metrics.withdrawn(u.rowCount());
            notifier.unreadChanged(uids);
            return uids.size() < cfg.withdrawBatch() ? Future.succeededFuture(u.rowCount())
                : withdrawShard(pool, id, visibleAfter).map(more -> u.rowCount() + more);
          });
        });
  }

  /** {@code GET /admin/global-mail}: newest first, with copies counted on every shard. */
  Future<MailPage> page(Long cursor, int limit) {
    return stores.db().primary().preparedQuery(GlobalSql.PAGE)
        .execute(Tuple.of(cursor == null ? Long.MAX_VALUE : cursor, limit + 1))
        .compose(rows -> {
          List<Row> list = new ArrayList<>();
          rows.forEach(list::add);
          boolean more = list.size() > limit;
          List<Row> shown = more ? list.subList(0, limit) : list;
          List<Long> ids = shown.stream().map(r -> r.getLong("id")).toList();
          return counts(ids).map(counts -> {
            JsonArray mails = new JsonArray();
            for (Row r : shown) {
              mails.add(summary(r, counts.getOrDefault(r.getLong("id"), new long[3])));
            }
            return new MailPage(mails, more ? Long.toString(ids.get(ids.size() - 1)) : null);
          });
        });
  }

  private static JsonObject summary(Row r, long[] c) {
    GlobalMail m = GlobalMail.fromRow(r);
    return new JsonObject().put("globalMailId", m.id()).put("target", m.target()).put("from", m.from())
        .put("title", m.title()).put("hasAttachments", m.attachments() != null).put("createdAt", m.createdAt())
        .put("startsAt", m.startsAt()).put("expiresAt", m.expiresAt()).put("deletedAt", r.getLong("deleted_at"))
        .put("withdrawnAt", r.getLong("withdrawn_at"))
        // An online send's walk over the players online: running until sentAt is set.
        .put("sentAt", r.getLong("sent_at"))
        .put("delivered", c[0]).put("claimed", c[1]).put("removed", c[2]);
  }

  /** Per global id: copies, claimed copies, removed copies (withdrawn, deleted by the player, expired), all shards. */
  private Future<Map<Long, long[]>> counts(List<Long> ids) {
    if (ids.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    List<Future<Map<Long, long[]>>> parts = new ArrayList<>();
    for (Pool pool : stores.db().all()) {
      parts.add(pool.preparedQuery(GlobalSql.deliveryCounts(ids.size())).execute(Tuple.from(new ArrayList<>(ids)))
          .map(rows -> {
            Map<Long, long[]> m = new HashMap<>();
            rows.forEach(r -> m.put(r.getLong(0), new long[] {r.getLong(1), num(r, 2), num(r, 3)}));
            return m;
          }));
    }
    return Future.all(parts).map(cf -> {
      Map<Long, long[]> all = new HashMap<>();
      for (int i = 0; i < cf.size(); i++) {
        cf.<Map<Long, long[]>>resultAt(i).forEach((id, c) -> all.merge(id, c,
            (a, b) -> new long[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]}));
      }
      return all;
    });
  }

  private static long num(Row r, int i) {
    Object v = r.getValue(i);
    return v == null ? 0 : ((Number) v).longValue();
  }

  /** How many registered players a target would reach now ({@code online}: registry entries). */
  Future<PreviewResult> preview(JsonObject raw) {
    String type = Fields.optString(raw, "type", 32);
    if (type == null || !GlobalMail.TYPES.contains(type)) {
      throw Fields.bad("target.type", "must be one of " + GlobalMail.TYPES);
    }
    Future<Long> matches = switch (type) {
      case GlobalMail.ONLINE -> registry.countEntries();
      case GlobalMail.ALL -> countUsers(GlobalSql.COUNT_USERS, List.of());
      case GlobalMail.ALL_TO_DATE -> countUsers(GlobalSql.COUNT_USERS_BEFORE,
          List.of(GlobalMail.createdBeforeSeconds(System.currentTimeMillis())));
      default -> {
        GlobalSegment s = GlobalSegment.parse(raw);
        List<Object> params = new ArrayList<>();
        String where = s.sqlWhere(params);
        yield countUsers(GlobalSql.countUsersWhere(where), params);
      }
    };
    return matches.map(n -> new PreviewResult(type.equals(GlobalMail.SEGMENT)
        ? new JsonObject().put("type", type).mergeIn(GlobalSegment.parse(raw).toJson())
        : new JsonObject().put("type", type), n));
  }

  private Future<Long> countUsers(String sql, List<Object> params) {
    List<Future<Long>> parts = new ArrayList<>();
    for (Pool pool : stores.db().all()) {
      parts.add(pool.preparedQuery(sql).execute(Tuple.from(params)).map(rows -> rows.iterator().next().getLong(0)));
    }
    return Future.all(parts).map(cf -> {
      long n = 0;
      for (int i = 0; i < cf.size(); i++) {
        n += cf.<Long>resultAt(i);
      }
      return n;
    });
  }
}
