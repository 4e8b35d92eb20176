package io.ravenpost.mail.global.create;

import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.global.store.GlobalCache;
import io.ravenpost.mail.global.store.GlobalConfig;
import io.ravenpost.mail.global.store.GlobalKeys;
import io.ravenpost.mail.global.store.GlobalMail;
import io.ravenpost.mail.global.store.GlobalSql;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.redis.client.Response;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The global-mail design's cache repair (scheduler job {@code global-repair}, every 20 min by default, one node
 * of the cluster per run): scans {@code global_mail} in id order in batches; re-creates the body
 * of every live lazily distributed mail that Redis lost, finishes withdrawals a dead node left,
 * and at the end, under the create lock, makes the id ZSET exactly the live ids (missing members
 * added, members of retracted, expired or never committed mails removed) and marks it complete.
 */
public final class GlobalRepair {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalRepair.class);
  private static final long REBUILD_LEASE_MS = 60_000;

  private final NodeInfo node;
  private final Stores stores;
  private final GlobalConfig cfg;
  private final GlobalKeys keys;
  private final GlobalCache cache;
  private final GlobalStore store;

  public GlobalRepair(NodeInfo node, Stores stores, GlobalConfig cfg, GlobalKeys keys, GlobalCache cache, GlobalStore store) {
    this.node = node;
    this.stores = stores;
    this.cfg = cfg;
    this.keys = keys;
    this.cache = cache;
    this.store = store;
  }

  /** One full run; answers what it did. */
  public Future<JsonObject> run() {
    JsonObject stats = new JsonObject().put("scanned", 0).put("bodiesRestored", 0).put("withdrawals", 0);
    return scan(0, stats).compose(v -> rebuildIds(stats)).map(v -> stats)
        .onSuccess(s -> LOG.info("global mail repair: {}", s.encode()));
  }

  /** A reader found the ZSET incomplete: one node (a short Redis lease) runs the repair now. */
  public void rebuildSoon() {
    stores.redis().set(List.of(keys.rebuild(), node.id(), "NX", "PX", Long.toString(REBUILD_LEASE_MS)))
        .compose(r -> r == null ? Future.succeededFuture() : run())
        .onFailure(t -> LOG.warn("global id ZSET rebuild failed: {}", t.toString()));
  }

  private Future<Void> scan(long after, JsonObject stats) {
    return stores.db().primary().preparedQuery(GlobalSql.SCAN).execute(Tuple.of(after, cfg.repairBatch()))
        .compose(rows -> {
          long now = System.currentTimeMillis();
          List<Long> live = new ArrayList<>();
          List<Long> unwithdrawn = new ArrayList<>();
          long last = after;
          for (Row r : rows) {
            long id = r.getLong("id");
            last = id;
            boolean deleted = r.getLong("deleted_at") != null;
            if (deleted && r.getLong("withdrawn_at") == null) {
              unwithdrawn.add(id);
            } else if (!deleted && r.getLong("expires_at") > now
                && !GlobalMail.ONLINE.equals(r.getString("target_type"))) {
              live.add(id);
            }
          }
          long next = last;
          stats.put("scanned", stats.getInteger("scanned") + rows.size());
          Future<Void> batch = restoreBodies(live, stats).compose(v -> withdrawAll(unwithdrawn, stats));
          return rows.size() < cfg.repairBatch() ? batch : batch.compose(v -> scan(next, stats));
        });
  }

  private Future<Void> restoreBodies(List<Long> live, JsonObject stats) {
    return cache.missingBodies(live).compose(missing -> missing.isEmpty() ? Future.succeededFuture()
        : cache.fromMysql(missing, true).map(found -> {
          stats.put("bodiesRestored", stats.getInteger("bodiesRestored") + found.size());
          return null;
        }));
  }

  private Future<Void> withdrawAll(List<Long> ids, JsonObject stats) {
    Future<Void> chain = Future.succeededFuture();
    for (Long id : ids) {
      chain = chain.compose(v -> store.withdraw(id).map(n -> {
        stats.put("withdrawals", stats.getInteger("withdrawals") + 1);
        return null;
      }));
    }
    return chain;
  }

  /** Under the create lock (no creation in flight), the ZSET becomes exactly the live ids, marked complete. */
  private Future<Void> rebuildIds(JsonObject stats) {
    return stores.redis().zcard(keys.ids()).map(Response::toLong).recover(t -> Future.succeededFuture(-1L))
        .compose(before -> stores.db().tx(stores.db().primary(), conn -> conn.query(GlobalSql.LOCK_CREATE)
            .execute()
            .compose(v -> conn.preparedQuery(GlobalSql.ALL_LAZY_LIVE).execute(Tuple.of(System.currentTimeMillis())))
            .compose(rows -> {
              List<Long> ids = new ArrayList<>();
              rows.forEach(r -> ids.add(r.getLong(0)));
              stats.put("zsetMembersBefore", before).put("liveIds", ids.size());
              return cache.replaceIds(ids);
            })));
  }
}
