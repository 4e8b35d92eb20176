package io.ravenpost.mail.global;

import io.ravenpost.common.NodeContext;
import io.ravenpost.common.config.GlobalConfig;
import io.ravenpost.online.Entry;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code online} sends: a copy for each player online, stored and pushed before the send answers.
 * The walk belongs to one node ({@code global_mail.sending_node}) until it finished
 * ({@code sent_at}). A walk whose node died, or that failed, is finished by {@link #resume}: it
 * takes the walk over by compare-and-set and walks again. Copies are unique per (uid, global id),
 * so players already served get nothing twice, and only players whose session began before the
 * send are served, so nobody who logged in later gets mail meant for "online now".
 */
final class GlobalOnlineSend {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalOnlineSend.class);
  /** Unfinished sends looked at per resume round; more wait for the next round. */
  private static final int RESUME_BATCH = 20;

  private final NodeContext ctx;
  private final GlobalConfig cfg;
  private final GlobalCache cache;
  private final GlobalDistributor distributor;
  private final OnlineState registry;

  GlobalOnlineSend(NodeContext ctx, GlobalConfig cfg, GlobalCache cache, GlobalDistributor distributor,
                   OnlineState registry) {
    this.ctx = ctx;
    this.cfg = cfg;
    this.cache = cache;
    this.distributor = distributor;
    this.registry = registry;
  }

  /** The walk of a mail this node just created (so it owns it): copies stored. */
  Future<Integer> deliver(GlobalMail m) {
    return walk(m, e -> true, false);
  }

  /**
   * Finishes online sends whose node is gone or whose walk failed: answers how many were finished.
   * Run by the {@code global-requeue} job, on one node at a time.
   */
  Future<Integer> resume() {
    return ctx.db().primary().preparedQuery(GlobalSql.UNSENT_ONLINE)
        .execute(Tuple.of(System.currentTimeMillis(), RESUME_BATCH))
        .compose(rows -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (Row r : rows) {
            long id = r.getLong("id");
            String owner = r.getString("sending_node");
            chain = chain.compose(n -> resumeOne(id, owner).map(done -> done ? n + 1 : n));
          }
          return chain;
        });
  }

  private Future<Boolean> resumeOne(long id, String owner) {
    Future<Boolean> orphaned = owner == null ? Future.succeededFuture(true)
        : Objects.equals(owner, ctx.nodeId()) ? Future.succeededFuture(false)
        : registry.nodeAlive(owner).map(alive -> !alive);
    return orphaned
        .compose(o -> !o ? Future.succeededFuture(false) : ctx.db().primary().preparedQuery(GlobalSql.TAKE_SEND)
            .execute(Tuple.of(ctx.nodeId(), id, owner)).map(r -> r.rowCount() == 1))
        .compose(taken -> !taken ? Future.succeededFuture(false) : cache.fromMysql(List.of(id), false)
            .compose(found -> {
              GlobalMail m = found.get(id);
              if (m == null) {
                return Future.succeededFuture(false);
              }
              LOG.info("global mail {} (online): finishing the send node {} left", id, owner);
              return walk(m, e -> e.since() <= m.createdAt(), true).map(n -> true);
            }));
  }

  /** Walks the registry for {@code m}, then marks it sent; on failure gives the walk up for resume. */
  private Future<Integer> walk(GlobalMail m, Predicate<Entry> keep, boolean resumed) {
    int[] stored = {0};
    return new GlobalFanout(registry, GlobalFanout.FAST).forEachOnline(cfg.onlineBatch(), keep,
            uids -> distributor.deliverNow(m, uids, resumed).map(d -> {
              stored[0] += d.copies();
              return !d.retracted();
            }))
        .compose(online -> ctx.db().primary().preparedQuery(GlobalSql.MARK_SENT)
            .execute(Tuple.of(System.currentTimeMillis(), m.id()))
            .map(r -> {
              LOG.info("global mail {} (online) stored for {} of {} players online", m.id(), stored[0], online);
              return stored[0];
            }))
        .recover(t -> {
          LOG.warn("global mail {} (online): walk stopped after {} copies ({}); the global-requeue job finishes it",
              m.id(), stored[0], t.toString());
          return ctx.db().primary().preparedQuery(GlobalSql.DROP_SEND).execute(Tuple.of(m.id(), ctx.nodeId()))
              .transform(ar -> Future.failedFuture(t));
        });
  }
}
