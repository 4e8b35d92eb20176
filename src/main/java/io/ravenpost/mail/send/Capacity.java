package io.ravenpost.mail.send;

import io.ravenpost.api.feed.ChangeType;
import io.ravenpost.mail.MailConfig;
import io.ravenpost.mail.box.MailMetrics;
import io.ravenpost.mail.feed.Change;
import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailbox capacity rule, run inside the transaction that stored new mail. Over capacity, mail
 * older than the new one and without unclaimed attachments goes: players' mail first, then the
 * oldest. Mail a player sent only ever makes room among players' mail, so players cannot push
 * announcements or reward history out of someone's mailbox. Mail with unclaimed attachments is
 * never dropped: if nothing else can go, the mailbox stays over capacity (logged and counted) until
 * the player claims or the mail expires. Three statements whatever the number of mailboxes: count,
 * pick the candidates, remove them.
 */
public final class Capacity {
  private static final Logger LOG = LoggerFactory.getLogger(Capacity.class);

  private final MailConfig cfg;
  private final MailMetrics metrics;

  public Capacity(MailConfig cfg, MailMetrics metrics) {
    this.cfg = cfg;
    this.metrics = metrics;
  }

  /**
   * The rule for copies of global mail: any mail may make room, players' own first. Answers the
   * mails removed, as {@code deleted} changes for the feed.
   */
  public Future<List<Change>> enforce(SqlConnection conn, Map<Long, Long> newIds, long now) {
    return enforce(conn, newIds, now, false);
  }

  /**
   * {@code newIds}: each mailbox that just got mail, with the id of the newest it got (only older
   * mail may go). Answers the mails removed, as {@code deleted} changes for the feed.
   */
  Future<List<Change>> enforce(SqlConnection conn, Map<Long, Long> newIds, long now, boolean playerOnly) {
    List<Object> args = new ArrayList<>(newIds.keySet());
    args.addAll(List.of(now, now, cfg.capacity()));
    return conn.preparedQuery(SendSql.overCapacity(newIds.size())).execute(Tuple.from(args)).compose(rows -> {
      Map<Long, Long> excess = new HashMap<>();
      rows.forEach(r -> excess.put(r.getLong(0), r.getLong(1) - cfg.capacity()));
      if (excess.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      List<Object> q = new ArrayList<>(excess.keySet());
      q.addAll(List.of(now, now, excess.values().stream().mapToLong(Long::longValue).max().orElse(0)));
      return conn.preparedQuery(SendSql.evictionCandidates(excess.size(), playerOnly)).execute(Tuple.from(q))
          .compose(candidates -> evict(conn, candidates, newIds, excess, now));
    });
  }

  private Future<List<Change>> evict(SqlConnection conn, Iterable<Row> candidates, Map<Long, Long> newIds,
                                     Map<Long, Long> excess, long now) {
    List<Object> victims = new ArrayList<>();
    victims.add(now);
    Map<Long, Long> toGo = new HashMap<>(excess);
    for (Row r : candidates) {
      long uid = r.getLong("uid");
      long id = r.getLong("id");
      if (toGo.get(uid) > 0 && id < newIds.get(uid)) {
        victims.add(uid);
        victims.add(id);
        toGo.merge(uid, -1L, Long::sum);
      }
    }
    toGo.forEach((uid, left) -> {
      if (left > 0) {
        metrics.overCapacity();
        LOG.warn("mailbox over capacity uid={} by {}: the rest hold unclaimed attachments", uid, left);
      }
    });
    int n = (victims.size() - 1) / 2;
    if (n == 0) {
      return Future.succeededFuture(List.of());
    }
    List<Object> keys = new ArrayList<>(victims.subList(1, victims.size()));
    keys.addAll(List.of(now, now));
    // Locked first: a concurrent send or delete may have taken some of them, and the feed must
    // name exactly the mails this transaction removes.
    return conn.preparedQuery(SendSql.evictable(n)).execute(Tuple.from(keys)).compose(rows -> {
      List<Object> args = new ArrayList<>();
      args.add(now);
      List<Change> removed = new ArrayList<>();
      rows.forEach(r -> {
        args.add(r.getLong("uid"));
        args.add(r.getLong("id"));
        removed.add(new Change(r.getLong("uid"), r.getLong("id"), ChangeType.DELETED));
      });
      if (removed.isEmpty()) {
        return Future.succeededFuture(List.of());
      }
      return conn.preparedQuery(SendSql.evict(removed.size())).execute(Tuple.from(args)).map(u -> {
        metrics.evicted(u.rowCount());
        LOG.debug("evicted mails={} from {} mailboxes over capacity {}", u.rowCount(), excess.size(), cfg.capacity());
        return removed;
      });
    });
  }
}
