package io.ravenpost.mail.global.online;

import io.ravenpost.api.gate.Broadcast;
import io.ravenpost.api.gate.BroadcastReply;
import io.ravenpost.api.gate.GateAddresses;
import io.ravenpost.common.Bus;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.box.Localize;
import io.ravenpost.mail.global.store.GlobalCache;
import io.ravenpost.mail.global.store.GlobalMail;
import io.ravenpost.mail.global.store.GlobalSql;
import io.ravenpost.online.OnlineState;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code online} sends: one {@link Broadcast} to each gate node, which records and tells its own
 * players at once; their copies are written afterwards ({@link OnlineCopies}). The send belongs to
 * one node ({@code global_mail.sending_node}) until every gate node took it ({@code sent_at}). A send
 * whose node died, or that a gate node did not take, is finished by {@link #resume}: taken over by
 * compare-and-set and broadcast again (a gate node that already took it answers at once and tells
 * nobody twice); a recipient record whose writer died is written again.
 */
public final class GlobalOnlineSend {
  private static final Logger LOG = LoggerFactory.getLogger(GlobalOnlineSend.class);
  /** Unfinished sends looked at per resume round; more wait for the next round. */
  private static final int RESUME_BATCH = 20;
  private static final long BROADCAST_TIMEOUT_MS = 10_000;
  /** A record whose writer lives on but has not finished after this long is written again (it is idempotent). */
  private static final long STALLED_MS = 60_000;

  private final NodeInfo node;
  private final Stores stores;
  private final GlobalCache cache;
  private final OnlineState registry;
  private final OnlineCopies copies;
  private final Localize localize;

  /** @param localize gives the titles of mail with texts in several languages, for each gate to choose from */
  public GlobalOnlineSend(NodeInfo node, Stores stores, GlobalCache cache, OnlineState registry, OnlineCopies copies,
                          Localize localize) {
    this.node = node;
    this.stores = stores;
    this.cache = cache;
    this.registry = registry;
    this.copies = copies;
    this.localize = localize;
  }

  /** Broadcasts a mail this node owns to every gate node; answers how many players they told. */
  public Future<Integer> deliver(GlobalMail m) {
    return stores.db().primary().preparedQuery(GlobalSql.MAIL_IDS).execute(Tuple.of(m.id()))
        .map(rows -> new JsonArray(rows.iterator().next().getString("mail_ids")))
        .compose(mailIds -> registry.liveNodes().compose(nodes -> broadcast(m, mailIds, nodes)))
        .compose(told -> stores.db().primary().preparedQuery(GlobalSql.MARK_SENT)
            .execute(Tuple.of(System.currentTimeMillis(), m.id()))
            .map(r -> {
              LOG.info("global mail {} (online) told {} players on every gate node", m.id(), told);
              return told;
            }))
        .recover(t -> {
          LOG.warn("global mail {} (online) not taken by every gate node ({}); the global-resume job finishes it",
              m.id(), t.toString());
          return stores.db().primary().preparedQuery(GlobalSql.DROP_SEND).execute(Tuple.of(m.id(), node.id()))
              .transform(ar -> Future.failedFuture(t));
        });
  }

  private Future<Integer> broadcast(GlobalMail m, JsonArray mailIds, List<String> nodes) {
    JsonObject summary = m.copy(0, 0).summary();
    summary.remove("mailId");
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(BROADCAST_TIMEOUT_MS);
    return (m.textId() == null ? Future.<JsonObject>succeededFuture(null) : localize.titles(m.textId()))
        .compose(titles -> {
          Broadcast b = new Broadcast(m.id(), m.createdAt(), m.startsAt(), summary, mailIds, titles);
          List<Future<Integer>> each = nodes.stream().map(gate -> Bus.request(node.vertx(),
              GateAddresses.broadcast(gate), b, opts).map(BroadcastReply::players)).toList();
          return Future.all(each).map(cf -> cf.<Integer>list().stream().mapToInt(Integer::intValue).sum());
        });
  }

  /**
   * Finishes online sends whose node is gone or that a gate node did not take, and recipient
   * records whose writer is gone: answers how many were taken over. Run by the {@code global-resume}
   * job, on one node at a time.
   */
  public Future<Integer> resume() {
    return resumeSends().compose(sends -> resumeRecords().map(records -> sends + records));
  }

  private Future<Integer> resumeSends() {
    return stores.db().primary().preparedQuery(GlobalSql.UNSENT_ONLINE)
        .execute(Tuple.of(System.currentTimeMillis(), RESUME_BATCH))
        .compose(rows -> {
          Future<Integer> chain = Future.succeededFuture(0);
          for (Row r : rows) {
            long id = r.getLong("id");
            String owner = r.getString("sending_node");
            chain = chain.compose(n -> resumeSend(id, owner).map(done -> done ? n + 1 : n));
          }
          return chain;
        });
  }

  private Future<Boolean> resumeSend(long id, String owner) {
    return orphaned(owner, Long.MIN_VALUE)
        .compose(o -> !o ? Future.succeededFuture(false) : stores.db().primary().preparedQuery(GlobalSql.TAKE_SEND)
            .execute(Tuple.of(node.id(), id, owner)).map(r -> r.rowCount() == 1))
        .compose(taken -> !taken ? Future.succeededFuture(false) : cache.fromMysql(List.of(id), false)
            .compose(found -> {
              GlobalMail m = found.get(id);
              if (m == null) {
                return Future.succeededFuture(false);
              }
              LOG.info("global mail {} (online): finishing the send node {} left", id, owner);
              return deliver(m).map(n -> true).otherwise(false);
            }));
  }

  private Future<Integer> resumeRecords() {
    return stores.db().primary().preparedQuery(GlobalSql.OPEN_RECIPIENTS).execute(Tuple.of(RESUME_BATCH))
        .compose(rows -> {
          List<Future<Boolean>> each = new ArrayList<>();
          for (Row r : rows) {
            each.add(resumeRecord(r.getLong("global_id"), r.getString("gate_node"), r.getString("owner"),
                r.getLong("recorded_at")));
          }
          return Future.all(each).map(cf -> (int) cf.<Boolean>list().stream().filter(b -> b).count());
        });
  }

  private Future<Boolean> resumeRecord(long id, String gate, String owner, long recordedAt) {
    return orphaned(owner, recordedAt)
        .compose(o -> !o ? Future.succeededFuture(false) : stores.db().primary().preparedQuery(GlobalSql.TAKE_RECIPIENTS)
            .execute(Tuple.of(node.id(), id, gate, owner)).map(r -> r.rowCount() == 1))
        .compose(taken -> !taken ? Future.succeededFuture(false) : stores.db().primary()
            .preparedQuery(GlobalSql.RECIPIENTS).execute(Tuple.of(id, gate))
            .compose(rows -> {
              List<Long> uids = new ArrayList<>();
              for (long u : OnlineCopies.unpack(rows.iterator().next().getBuffer(0))) {
                uids.add(u);
              }
              LOG.info("global mail {} (online): writing the copies for {} players of {} that {} left", id,
                  uids.size(), gate, owner);
              return copies.write(id, gate, uids).map(n -> true);
            }));
  }

  /**
   * A task whose owner is gone (no lease), absent, or (records) stalled past {@link #STALLED_MS}; never one
   * this node holds.
   */
  private Future<Boolean> orphaned(String owner, long since) {
    if (owner == null) {
      return Future.succeededFuture(true);
    }
    if (Objects.equals(owner, node.id())) {
      return Future.succeededFuture(false);
    }
    if (since != Long.MIN_VALUE && System.currentTimeMillis() - since > STALLED_MS) {
      return Future.succeededFuture(true);
    }
    return registry.nodeAlive(owner).map(alive -> !alive);
  }
}
