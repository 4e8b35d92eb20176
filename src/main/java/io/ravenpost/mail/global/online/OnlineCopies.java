package io.ravenpost.mail.global.online;

import io.ravenpost.api.mail.GlobalRecipients;
import io.ravenpost.api.mail.Recorded;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.box.Mail;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.global.distribute.CopyRules;
import io.ravenpost.mail.global.distribute.GlobalDistributor;
import io.ravenpost.mail.global.store.GlobalCache;
import io.ravenpost.mail.global.store.GlobalMail;
import io.ravenpost.mail.global.store.GlobalSql;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The copies of {@code online} sends, written after their players were told. Each gate node records
 * who it is about to tell ({@code global_online_recipients}, one row per node and mail) before
 * telling them; this writes their copies from that record, in batches, with the id reserved on each
 * shard. A copy is unique per player and mail, so the background writer, a player's own read
 * ({@link OnlineOwed}) and a resumed writer may all race: each copy is written once.
 */
public final class OnlineCopies {
  private static final Logger LOG = LoggerFactory.getLogger(OnlineCopies.class);
  static final int BATCH = 1000;

  private final NodeInfo node;
  private final Stores stores;
  private final GlobalCache cache;
  private final GlobalDistributor distributor;
  private final MailNotifier notifier;
  private final OnlineOwed owed;

  public OnlineCopies(NodeInfo node, Stores stores, GlobalCache cache, GlobalDistributor distributor, MailNotifier notifier,
               OnlineOwed owed) {
    this.node = node;
    this.stores = stores;
    this.cache = cache;
    this.distributor = distributor;
    this.notifier = notifier;
    this.owed = owed;
  }

  /** A gate node's recipients: recorded durably (then the node tells them), written in the background. */
  public Future<Recorded> record(GlobalRecipients req) {
    long id = req.globalMailId();
    String gate = req.gateNode();
    List<Long> uids = req.uids();
    long now = System.currentTimeMillis();
    return stores.db().retrying(() -> stores.db().primary().preparedQuery(GlobalSql.RECORD_RECIPIENTS)
            .execute(Tuple.of(id, gate, pack(uids), uids.size(), now, node.id())))
        .compose(r -> owed.opened(id, gate))
        .map(v -> {
          write(id, gate, uids).onFailure(t -> LOG.warn("copies of global mail {} for {} players of {} stopped ({});"
              + " the global-resume job finishes them", id, uids.size(), gate, t.toString()));
          return new Recorded(uids.size());
        });
  }

  /** Writes the copies of one record, then marks it done. */
  Future<Integer> write(long id, String gate, List<Long> uids) {
    return mail(id).compose(found -> {
      if (found == null) {
        return Future.succeededFuture(0);
      }
      Future<Integer> chain = Future.succeededFuture(0);
      for (List<Long> batch : byShard(uids)) {
        chain = chain.compose(n -> copies(found.mail(), found.mailIds(), batch).map(m -> n + m));
      }
      return chain;
    }).compose(n -> stores.db().retrying(() -> stores.db().primary().preparedQuery(GlobalSql.RECIPIENTS_DONE)
            .execute(Tuple.of(System.currentTimeMillis(), id, gate)))
        .compose(v -> owed.closed(id, gate))
        .map(v -> {
          LOG.info("global mail {} (online): {} copies written for the players of {}", id, n, gate);
          return n;
        }));
  }

  /** One player's copy now: a read that came before the background writer reached them. */
  Future<Void> writeOne(long id, long uid) {
    return mail(id).compose(found -> found == null ? Future.succeededFuture()
        : copies(found.mail(), found.mailIds(), List.of(uid)).mapEmpty());
  }

  /** The live mail with its reserved ids, or null once it was retracted (nothing more is written). */
  private Future<Found> mail(long id) {
    return stores.db().primary().preparedQuery(GlobalSql.MAIL_IDS).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0 || rows.iterator().next().getLong("deleted_at") != null) {
        return Future.succeededFuture(null);
      }
      JsonArray mailIds = new JsonArray(rows.iterator().next().getString("mail_ids"));
      return cache.fromMysql(List.of(id), false).map(m -> m.get(id) == null ? null : new Found(m.get(id), mailIds));
    });
  }

  private record Found(GlobalMail mail, JsonArray mailIds) {
  }

  /** One shard's batch in one transaction, under the retraction guard; players told nothing more. */
  private Future<Integer> copies(GlobalMail m, JsonArray mailIds, List<Long> uids) {
    int shard = stores.db().shardOf(uids.get(0));
    long mailId = mailIds.getLong(shard);
    long now = System.currentTimeMillis();
    List<Mail> copies = uids.stream().map(u -> m.copy(mailId, u)).toList();
    return distributor.guarded().<Written>run(stores.db().shard(shard), (conn, guard) -> guard.live(List.of(m.id()))
            .compose(live -> {
              if (live.isEmpty()) {
                return Future.succeededFuture(Written.NONE);
              }
              List<Object> args = new ArrayList<>();
              uids.forEach(u -> args.addAll(Arrays.asList(mailId, u, GlobalMail.KIND, m.from(), m.title(), m.body(),
                  m.attachments(), m.id(), m.startsAt(), m.expiresAt(), m.textId())));
              return conn.preparedQuery(GlobalSql.insertCopiesWithId(uids.size())).execute(Tuple.from(args))
                  .compose(rows -> {
                    Set<Long> inserted = new HashSet<>();
                    rows.forEach(r -> inserted.add(r.getLong("uid")));
                    List<Mail> fresh = copies.stream().filter(c -> inserted.contains(c.uid())).toList();
                    return distributor.rules().apply(conn, fresh, now).map(settled -> new Written(fresh, settled));
                  });
            }))
        .compose(w -> notifier.stored(w.copies(), w.settled().feed(), false).map(v -> w.copies().size()));
  }

  /** A batch's copies and what the mailbox rules did with them. */
  private record Written(List<Mail> copies, CopyRules.Settled settled) {
    static final Written NONE = new Written(List.of(), CopyRules.Settled.NONE);
  }

  private List<List<Long>> byShard(List<Long> uids) {
    Map<Integer, List<Long>> shards = new TreeMap<>();
    uids.forEach(u -> shards.computeIfAbsent(stores.db().shardOf(u), k -> new ArrayList<>()).add(u));
    List<List<Long>> out = new ArrayList<>();
    shards.values().forEach(part -> {
      for (int i = 0; i < part.size(); i += BATCH) {
        out.add(part.subList(i, Math.min(part.size(), i + BATCH)));
      }
    });
    return out;
  }

  /** Uids as 8-byte big-endian numbers: 19,000 players are 152 KB in one row. */
  static Buffer pack(List<Long> uids) {
    Buffer b = Buffer.buffer(uids.size() * 8);
    uids.forEach(b::appendLong);
    return b;
  }

  static long[] unpack(Buffer b) {
    long[] out = new long[b.length() / 8];
    for (int i = 0; i < out.length; i++) {
      out[i] = b.getLong(8 * i);
    }
    return out;
  }
}
