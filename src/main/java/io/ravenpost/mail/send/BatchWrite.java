package io.ravenpost.mail.send;

import io.ravenpost.api.AuditContext;
import io.ravenpost.api.feed.ChangeType;
import io.ravenpost.api.feed.FeedEntry;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.common.Errors;
import io.ravenpost.mail.box.Attachment;
import io.ravenpost.mail.box.Mail;
import io.ravenpost.mail.feed.Change;
import io.ravenpost.mail.feed.Feed;
import io.vertx.core.Future;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One shard's transaction for a batch of sends: one multi-row insert for all their mails, the
 * capacity rule once for every mailbox touched, and one multi-row insert of their idempotency
 * rows. Each send keeps its own random reference, so its ids are found among the batch's rows.
 */
final class BatchWrite {
  /** One send's part on one shard, waiting to be written with others. */
  record Pending(SendRequest req, List<Long> uids, String key, long ref, long sendId) {
    int rows() {
      return uids.size();
    }
  }

  /**
   * What a part became: the mail id per uid, the mails stored (empty when an earlier try had stored
   * them), their feed entries, and the id of the send it belongs to.
   */
  record Part(Map<Long, Long> ids, List<Mail> stored, List<FeedEntry> feed, long sendId) {
  }

  /**
   * The batch's parts in its order, the mailboxes whose counts must be recounted (the capacity rule
   * took mail from them), and the feed entries of what it took.
   */
  record Written(List<Part> parts, Set<Long> recount, List<FeedEntry> removals) {
  }

  /** A part this batch would write was committed before (its id is taken): read it back, do not write it twice. */
  static final class PartWritten extends RuntimeException {
    PartWritten() {
      super("this send part was committed before", null, false, false);
    }
  }

  private final Capacity capacity;
  private final Feed feed;

  BatchWrite(Capacity capacity, Feed feed) {
    this.capacity = capacity;
    this.feed = feed;
  }

  Future<Written> write(SqlConnection conn, List<Pending> batch, boolean playerOnly) {
    long now = System.currentTimeMillis();
    List<Object> args = new ArrayList<>();
    int rows = 0;
    for (Pending p : batch) {
      SendRequest req = p.req();
      String attachments = req.hasAttachments() ? Attachment.toJson(req.attachments()).encode() : null;
      for (Long uid : p.uids()) {
        args.addAll(Arrays.asList(uid, req.kind(), req.from(), req.fromUid(), req.title(), req.body(),
            attachments, p.ref(), p.sendId(), req.createdAt(now), req.expiresAt(now), req.textId()));
      }
      rows += p.rows();
    }
    int total = rows;
    // One after the other, never queued ahead of an answer: a deadlock rolls the transaction back on
    // the server at once, and a statement already queued behind the victim would then run, and
    // commit, on its own.
    return insertParts(conn, batch, now)
        .compose(v -> conn.preparedQuery(SendSql.insertMails(total)).execute(Tuple.from(args)))
        .compose(r -> insertedIds(conn, batch, total, r.property(MySQLClient.LAST_INSERTED_ID)))
        .compose(ids -> capacity.enforce(conn, newestIds(ids), now, playerOnly)
            .compose(evicted -> audit(conn, batch, ids)
                .compose(v -> Idempotency.putAll(conn, keyed(batch, ids)))
                .compose(v -> numbered(conn, parts(batch, ids, now), evicted, now))));
  }

  /** The feed entries of the batch, last in its transaction: each part's new mail, then what capacity took. */
  private Future<Written> numbered(SqlConnection conn, List<Part> parts, List<Change> evicted, long now) {
    List<Mail> stored = new ArrayList<>();
    parts.forEach(p -> stored.addAll(p.stored()));
    return feed.added(conn, stored, now).compose(added -> {
      List<Change> changes = new ArrayList<>(added);
      changes.addAll(evicted);
      return feed.append(conn, changes);
    }).map(entries -> {
      Map<Long, Map<Long, FeedEntry>> news = new HashMap<>();
      List<FeedEntry> removals = new ArrayList<>();
      for (FeedEntry e : entries) {
        if (e.type() == ChangeType.NEW) {
          news.computeIfAbsent(e.uid(), k -> new HashMap<>()).put(e.mailId(), e);
        } else {
          removals.add(e);
        }
      }
      List<Part> out = new ArrayList<>();
      for (Part p : parts) {
        List<FeedEntry> mine = new ArrayList<>();
        p.stored().forEach(m -> {
          FeedEntry e = news.getOrDefault(m.uid(), Map.of()).get(m.id());
          if (e != null) {
            mine.add(e);
          }
        });
        out.add(new Part(p.ids(), p.stored(), mine, p.sendId()));
      }
      Set<Long> recount = new HashSet<>();
      evicted.forEach(c -> recount.add(c.uid()));
      return new Written(out, recount, removals);
    });
  }

  private static Future<Void> insertParts(SqlConnection conn, List<Pending> batch, long now) {
    List<Object> args = new ArrayList<>();
    batch.forEach(p -> args.addAll(List.of(p.ref(), now)));
    return conn.preparedQuery(SendSql.insertParts(batch.size())).execute(Tuple.from(args)).<Void>mapEmpty()
        .recover(t -> Future.failedFuture(Errors.isDuplicateKey(t) ? new PartWritten() : t));
  }

  /**
   * A part that a transaction whose outcome was unknown did commit: its ids, and its mails so that
   * their players are told now (the commit that stored them answered nobody).
   */
  static Future<Part> committed(Pool pool, Pending p) {
    List<Object> args = new ArrayList<>(p.uids());
    args.add(p.ref());
    return pool.preparedQuery(SendSql.partMails(p.uids().size())).execute(Tuple.from(args)).compose(rows -> {
      Map<Long, Long> ids = new HashMap<>();
      List<Mail> stored = new ArrayList<>();
      List<FeedEntry> feed = new ArrayList<>();
      for (Row r : rows) {
        ids.put(r.getLong("uid"), r.getLong("id"));
        if (r.getLong("seq") != null) {
          feed.add(new FeedEntry(r.getLong("uid"), r.getLong("seq"), ChangeType.NEW, r.getLong("id")));
        }
        stored.add(new Mail(r.getLong("id"), r.getLong("uid"), r.getString("kind"), r.getString("sender"),
            r.getLong("sender_uid"), r.getString("title"), null, null, r.getInteger("has_attachments") == 1,
            r.getLong("created_at"), r.getLong("expires_at"), null, null, r.getLong("text_id"), null));
      }
      return ids.size() == p.rows() ? Future.succeededFuture(new Part(ids, stored, feed, p.sendId()))
          : Future.failedFuture(new IllegalStateException("send part " + p.ref() + " committed " + ids.size()
              + " of " + p.rows() + " mails"));
    });
  }

  /** The audit row of each operator's or service's send, committed with its mail (one statement for the batch). */
  private static Future<Void> audit(SqlConnection conn, List<Pending> batch, Map<Long, Map<Long, Long>> ids) {
    List<AuditLog.Entry> rows = batch.stream().filter(p -> p.req().audit() != null)
        .map(p -> new AuditLog.Entry(p.req().audit(), AuditContext.SEND, PersonalDelivery.summary(ids.get(p.ref())),
            AuditLog.OK))
        .toList();
    return AuditLog.recordAll(conn, rows);
  }

  /** Mail ids by send reference and uid. */
  private static Future<Map<Long, Map<Long, Long>>> insertedIds(SqlConnection conn, List<Pending> batch, int rows,
                                                              long firstId) {
    if (rows == 1) {
      Pending only = batch.get(0);
      return Future.succeededFuture(Map.of(only.ref(), Map.of(only.uids().get(0), firstId)));
    }
    Set<Long> uids = new LinkedHashSet<>();
    batch.forEach(p -> uids.addAll(p.uids()));
    List<Object> args = new ArrayList<>(uids);
    args.add(firstId);
    batch.forEach(p -> args.add(p.ref()));
    return conn.preparedQuery(SendSql.insertedIds(uids.size(), batch.size())).execute(Tuple.from(args))
        .compose(found -> {
          Map<Long, Map<Long, Long>> ids = new HashMap<>();
          int n = 0;
          for (Row r : found) {
            ids.computeIfAbsent(r.getLong("send_ref"), k -> new HashMap<>()).put(r.getLong("uid"), r.getLong("id"));
            n++;
          }
          return n == rows ? Future.succeededFuture(ids)
              : Future.failedFuture(new IllegalStateException("inserted " + rows + " mails, found " + n));
        });
  }

  /**
   * Each mailbox with the newest id it got in this batch: only older mail may make room, and that
   * includes the batch's earlier sends, as if they had been committed one after the other.
   */
  private static Map<Long, Long> newestIds(Map<Long, Map<Long, Long>> ids) {
    Map<Long, Long> newest = new HashMap<>();
    ids.values().forEach(m -> m.forEach((uid, id) -> newest.merge(uid, id, Math::max)));
    return newest;
  }

  private static List<Idempotency.Stored> keyed(List<Pending> batch, Map<Long, Map<Long, Long>> ids) {
    return batch.stream().filter(p -> p.key() != null)
        .map(p -> new Idempotency.Stored(p.key(), p.req().requestHash(), PersonalDelivery.jsonOf(ids.get(p.ref()), p.sendId())))
        .toList();
  }

  private static List<Part> parts(List<Pending> batch, Map<Long, Map<Long, Long>> ids, long now) {
    List<Part> out = new ArrayList<>();
    for (Pending p : batch) {
      SendRequest req = p.req();
      Map<Long, Long> mine = ids.get(p.ref());
      List<Mail> stored = new ArrayList<>();
      for (Long uid : p.uids()) {
        stored.add(new Mail(mine.get(uid), uid, req.kind(), req.from(), req.fromUid(), req.title(), null, null,
            req.hasAttachments(), req.createdAt(now), req.expiresAt(now), null, null, req.textId(), null));
      }
      out.add(new Part(mine, stored, List.of(), p.sendId()));
    }
    return out;
  }
}
