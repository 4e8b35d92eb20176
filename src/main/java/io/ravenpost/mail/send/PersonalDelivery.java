package io.ravenpost.mail.send;

import io.ravenpost.api.AuditContext;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.common.Errors;
import io.ravenpost.common.NodeContext;
import io.ravenpost.common.config.MailConfig;
import io.ravenpost.mail.box.Attachment;
import io.ravenpost.mail.box.Mail;
import io.ravenpost.mail.box.MailMetrics;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.box.Mailbox;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mysqlclient.MySQLClient;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Target {@code users} (seed 002's Specify): one row per recipient in that recipient's mailbox.
 * Recipients are grouped by shard; each shard gets one transaction with one multi-row insert,
 * the capacity rule for the mailboxes it touched, and (for producers) the idempotency row.
 * Answers {@code {mailIds}} in the order of {@code target.uids}.
 */
public final class PersonalDelivery implements TargetHandler {
  private static final Logger LOG = LoggerFactory.getLogger(PersonalDelivery.class);
  private static final SecureRandom REFS = new SecureRandom();

  private final NodeContext ctx;
  private final MailConfig cfg;
  private final Mailbox mailbox;
  private final Idempotency idempotency;
  private final MailNotifier notifier;
  private final MailMetrics metrics;
  private final AuditLog audit;

  /** One shard's part: mail id per uid, and the mails this call stored (empty when replayed). */
  private record Part(Map<Long, Long> ids, List<Mail> stored) {
  }

  public PersonalDelivery(NodeContext ctx, MailConfig cfg, Mailbox mailbox, Idempotency idempotency,
                   MailNotifier notifier, MailMetrics metrics) {
    this.ctx = ctx;
    this.cfg = cfg;
    this.mailbox = mailbox;
    this.idempotency = idempotency;
    this.notifier = notifier;
    this.metrics = metrics;
    this.audit = new AuditLog(ctx.db());
  }

  @Override
  public Future<JsonObject> send(SendRequest req, String key) {
    long start = System.nanoTime();
    Future<List<Part>> parts = key == null ? storeAll(req, null, Map.of())
        : idempotency.begin(key, req.requestHash())
            .compose(v -> idempotency.stored(key, req.requestHash())
                .compose(done -> storeAll(req, key, done))
                .eventually(() -> {
                  idempotency.end(key);
                  return Future.succeededFuture();
                }));
    return parts.compose(all -> {
      Map<Long, Long> ids = new HashMap<>();
      List<Mail> stored = new ArrayList<>();
      all.forEach(p -> {
        ids.putAll(p.ids());
        stored.addAll(p.stored());
      });
      metrics.sent(req.kind(), stored.size(), start);
      LOG.info("sent kind={} from={} recipients={} stored={} key={}{}", req.kind(), req.from(),
          req.target().uids().size(), stored.size(), key,
          stored.size() == 1 ? " uid=" + stored.get(0).uid() + " mailId=" + stored.get(0).id() : "");
      notifier.stored(stored);
      JsonArray mailIds = new JsonArray();
      req.target().uids().forEach(u -> mailIds.add(ids.get(u)));
      JsonObject result = new JsonObject().put("mailIds", mailIds);
      // Answered from its idempotency key, the send ran no transaction that could hold its audit row.
      boolean replayed = all.stream().allMatch(p -> p.stored().isEmpty());
      return req.audit() == null || !replayed ? Future.succeededFuture(result)
          : audit.recordAlone(req.audit(), AuditContext.SEND, summary(ids), "replayed").map(v -> result);
    });
  }

  /** The audit row's target: recipients and the mail each got. */
  private static String summary(Map<Long, Long> ids) {
    StringBuilder sb = new StringBuilder("users");
    ids.forEach((uid, id) -> sb.append(sb.length() == 5 ? " " : ", ").append(uid).append(" mail ").append(id));
    return sb.toString();
  }

  private Future<List<Part>> storeAll(SendRequest req, String key, Map<Integer, JsonObject> done) {
    List<Future<Part>> parts = new ArrayList<>();
    mailbox.byShard(req.target().uids()).forEach((shard, uids) -> {
      JsonObject replay = done.get(shard);
      parts.add(replay != null ? Future.succeededFuture(new Part(idsOf(replay), List.of()))
          : storeShard(ctx.db().forUid(uids.get(0)), req, uids, key));
    });
    return Future.join(parts).transform(ar -> {
      List<Part> ok = parts.stream().filter(Future::succeeded).map(Future::result).toList();
      Future<Part> failed = parts.stream().filter(Future::failed).findFirst().orElse(null);
      if (failed == null) {
        return Future.succeededFuture(ok);
      }
      // Shards that committed keep their mail (a retry with the same key replays them): tell their players.
      List<Mail> stored = ok.stream().flatMap(p -> p.stored().stream()).toList();
      LOG.warn("send partly failed: {} mails stored on the shards that committed, key={}: {}", stored.size(), key,
          failed.cause().toString());
      notifier.stored(stored);
      return Future.failedFuture(failed.cause());
    });
  }

  private Future<Part> storeShard(Pool pool, SendRequest req, List<Long> uids, String key) {
    return ctx.db().tx(pool, conn -> store(conn, req, uids, key))
        // Two sends with one key that both missed the lease: the row's primary key let one commit.
        .recover(t -> key != null && Errors.isDuplicateKey(t)
            ? idempotency.read(pool, key, req.requestHash()).map(r -> new Part(idsOf(r), List.of()))
            : Future.failedFuture(t));
  }

  private Future<Part> store(SqlConnection conn, SendRequest req, List<Long> uids, String key) {
    long now = System.currentTimeMillis();
    long ref = REFS.nextLong();
    String attachments = req.hasAttachments() ? Attachment.toJson(req.attachments()).encode() : null;
    List<Object> args = new ArrayList<>();
    for (Long uid : uids) {
      args.addAll(Arrays.asList(uid, req.kind(), req.from(), req.fromUid(), req.title(), req.body(),
          attachments, ref, req.createdAt(now), req.expiresAt(now)));
    }
    return conn.preparedQuery(SendSql.insertMails(uids.size())).execute(Tuple.from(args))
        .compose(r -> insertedIds(conn, uids, r.property(MySQLClient.LAST_INSERTED_ID), ref))
        .compose(ids -> enforceCapacity(conn, ids, now, Mail.PLAYER.equals(req.kind())).map(v -> ids))
        .compose(ids -> req.audit() == null ? Future.succeededFuture(ids)
            : AuditLog.record(conn, req.audit(), AuditContext.SEND, summary(ids), AuditLog.OK).map(v -> ids))
        .compose(ids -> (key == null ? Future.<Void>succeededFuture()
            : Idempotency.put(conn, key, req.requestHash(), jsonOf(ids))).map(v -> {
              List<Mail> stored = new ArrayList<>();
              for (Long uid : uids) {
                stored.add(new Mail(ids.get(uid), uid, req.kind(), req.from(), req.fromUid(), req.title(), null,
                    null, req.hasAttachments(), req.createdAt(now), req.expiresAt(now), null, null));
              }
              return new Part(ids, stored);
            }));
  }

  /**
   * The ids of our own rows: at or after the statement's first id, carrying this send's reference
   * (a multi-row insert's ids are not guaranteed consecutive under every auto-increment lock mode).
   */
  private static Future<Map<Long, Long>> insertedIds(SqlConnection conn, List<Long> uids, long firstId, long ref) {
    if (uids.size() == 1) {
      return Future.succeededFuture(Map.of(uids.get(0), firstId));
    }
    List<Object> args = new ArrayList<>(uids);
    args.add(firstId);
    args.add(ref);
    return conn.preparedQuery(SendSql.insertedIds(uids.size())).execute(Tuple.from(args)).compose(rows -> {
      Map<Long, Long> ids = new HashMap<>();
      for (Row r : rows) {
        ids.put(r.getLong("uid"), r.getLong("id"));
      }
      return ids.size() == uids.size() ? Future.succeededFuture(ids)
          : Future.failedFuture(new IllegalStateException("inserted " + uids.size() + " mails, found " + ids.size()));
    });
  }

  /** The capacity rule for copies of global mail: any mail may make room, players' own first. */
  public Future<Void> enforceCapacity(SqlConnection conn, Map<Long, Long> ids, long now) {
    return enforceCapacity(conn, ids, now, false);
  }

  /**
   * Over capacity, mail older than the new one and without unclaimed attachments goes: players'
   * mail first, then the oldest. Mail a player sent only ever makes room among players' mail, so
   * players cannot push announcements or reward history out of someone's mailbox. Mail with
   * unclaimed attachments is never dropped: if nothing else can go, the mailbox stays over capacity
   * (logged and counted) until the player claims or the mail expires. Three statements whatever the
   * number of mailboxes: count, pick the candidates, remove them.
   */
  private Future<Void> enforceCapacity(SqlConnection conn, Map<Long, Long> ids, long now, boolean playerOnly) {
    List<Object> args = new ArrayList<>(ids.keySet());
    args.addAll(List.of(now, now, cfg.capacity()));
    return conn.preparedQuery(SendSql.overCapacity(ids.size())).execute(Tuple.from(args)).compose(rows -> {
      Map<Long, Long> excess = new HashMap<>();
      rows.forEach(r -> excess.put(r.getLong(0), r.getLong(1) - cfg.capacity()));
      if (excess.isEmpty()) {
        return Future.succeededFuture();
      }
      List<Object> q = new ArrayList<>(excess.keySet());
      q.addAll(List.of(now, now, excess.values().stream().mapToLong(Long::longValue).max().orElse(0)));
      return conn.preparedQuery(SendSql.evictionCandidates(excess.size(), playerOnly)).execute(Tuple.from(q))
          .compose(candidates -> evict(conn, candidates, ids, excess, now));
    });
  }

  private Future<Void> evict(SqlConnection conn, Iterable<Row> candidates, Map<Long, Long> newIds,
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
      return Future.succeededFuture();
    }
    victims.addAll(List.of(now, now));
    return conn.preparedQuery(SendSql.evict(n)).execute(Tuple.from(victims)).map(u -> {
      metrics.evicted(u.rowCount());
      LOG.info("evicted mails={} from {} mailboxes over capacity {}", u.rowCount(), excess.size(), cfg.capacity());
      return null;
    });
  }

  private static JsonObject jsonOf(Map<Long, Long> ids) {
    JsonObject o = new JsonObject();
    ids.forEach((uid, id) -> o.put(Long.toString(uid), id));
    return o;
  }

  private static Map<Long, Long> idsOf(JsonObject stored) {
    Map<Long, Long> ids = new HashMap<>();
    stored.forEach(e -> ids.put(Long.parseLong(e.getKey()), ((Number) e.getValue()).longValue()));
    return ids;
  }
}
