package io.ravenpost.mail.send;

import io.ravenpost.api.AuditContext;
import io.ravenpost.api.mail.SendResult;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.MailConfig;
import io.ravenpost.mail.box.Mail;
import io.ravenpost.mail.box.MailMetrics;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.box.Mailbox;
import io.ravenpost.mail.feed.Feed;
import io.ravenpost.mail.send.BatchWrite.Part;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Target {@code users} (the mail-server design's Specify): one row per recipient in that recipient's mailbox.
 * Recipients are grouped by shard; each shard's part is committed in one transaction with the
 * capacity rule for the mailboxes it touched and (for producers) the idempotency row, together
 * with the parts of other sends running at the same time ({@link SendBatcher}). Answers
 * {@code {mailIds}} in the order of {@code target.uids}.
 */
public final class PersonalDelivery implements TargetHandler {
  private static final String SEND_ID = "sendId";
  private static final Logger LOG = LoggerFactory.getLogger(PersonalDelivery.class);

  private final Stores stores;
  private final Mailbox mailbox;
  private final Idempotency idempotency;
  private final MailMetrics metrics;
  private final SendBatcher batcher;
  private final SendIds sendIds;
  private final AuditLog audit;

  public PersonalDelivery(Stores stores, MailConfig cfg, Mailbox mailbox, Idempotency idempotency,
                          MailNotifier notifier, MailMetrics metrics, Capacity capacity, Feed feed) {
    this.stores = stores;
    this.mailbox = mailbox;
    this.idempotency = idempotency;
    this.metrics = metrics;
    this.audit = new AuditLog(stores.db());
    this.sendIds = new SendIds(stores.db());
    this.batcher = new SendBatcher(stores.db(), new BatchWrite(capacity, feed), idempotency, notifier, metrics,
        cfg.sendBatchRows(), cfg.sendBatchesInFlight(), cfg.sendQueueMax());
  }

  @Override
  public Future<SendResult> send(SendRequest req, String key) {
    long start = System.nanoTime();
    Future<List<Part>> parts = key == null ? storeAll(req, null, Map.of())
        : idempotency.once(key, req.requestHash(),
            done -> done.keySet().containsAll(mailbox.byShard(req.target().uids()).keySet()),
            done -> storeAll(req, key, done));
    return parts.compose(all -> {
      long sendId = all.get(0).sendId();
      Map<Long, Long> ids = new HashMap<>();
      List<Mail> stored = new ArrayList<>();
      all.forEach(p -> {
        ids.putAll(p.ids());
        stored.addAll(p.stored());
      });
      metrics.sent(req.kind(), stored.size(), start);
      LOG.debug("sent kind={} from={} recipients={} stored={} sendId={} key={}{}", req.kind(), req.from(),
          req.target().uids().size(), stored.size(), sendId, key,
          stored.size() == 1 ? " uid=" + stored.get(0).uid() + " mailId=" + stored.get(0).id() : "");
      SendResult result = SendResult.personal(req.target().uids().stream().map(ids::get).toList(), sendId);
      // Answered from its idempotency key, the send ran no transaction that could hold its audit row.
      boolean replayed = all.stream().allMatch(p -> p.stored().isEmpty());
      return req.audit() == null || !replayed ? Future.succeededFuture(result)
          : audit.recordAlone(req.audit(), AuditContext.SEND, summary(ids), "replayed").map(v -> result);
    });
  }

  /** The audit row's target: recipients and the mail each got. */
  static String summary(Map<Long, Long> ids) {
    StringBuilder sb = new StringBuilder("users");
    ids.forEach((uid, id) -> sb.append(sb.length() == 5 ? " " : ", ").append(uid).append(" mail ").append(id));
    return sb.toString();
  }

  /**
   * Every shard's part, those an earlier try with this key stored replayed. Shards that commit keep
   * their mail even when another fails (a retry with the same key replays them); their players are
   * told by the batcher as soon as each commits.
   */
  private Future<List<Part>> storeAll(SendRequest req, String key, Map<Integer, JsonObject> done) {
    Long earlier = done.values().stream().map(j -> j.getLong(SEND_ID)).filter(Objects::nonNull).findFirst().orElse(null);
    return (earlier != null ? Future.succeededFuture(earlier) : sendIds.next())
        .compose(sendId -> storeAll(req, key, done, sendId));
  }

  private Future<List<Part>> storeAll(SendRequest req, String key, Map<Integer, JsonObject> done, long sendId) {
    List<Future<Part>> parts = new ArrayList<>();
    mailbox.byShard(req.target().uids()).forEach((shard, uids) -> {
      JsonObject replay = done.get(shard);
      parts.add(replay != null ? Future.succeededFuture(new Part(idsOf(replay), List.of(), List.of(), sendId))
          : batcher.submit(shard, stores.db().forUid(uids.get(0)), req, uids, key, sendId));
    });
    return Future.join(parts).transform(ar -> {
      Future<Part> failed = parts.stream().filter(Future::failed).findFirst().orElse(null);
      if (failed == null) {
        return Future.succeededFuture(parts.stream().map(Future::result).toList());
      }
      long stored = parts.stream().filter(Future::succeeded).mapToLong(p -> p.result().stored().size()).sum();
      LOG.warn("send partly failed: {} mails stored on the shards that committed, key={}: {}", stored, key,
          failed.cause().toString());
      return Future.failedFuture(failed.cause());
    });
  }

  /** A shard's part as its idempotency row keeps it: {@code {uid: mailId, ..., sendId}}. */
  static JsonObject jsonOf(Map<Long, Long> ids, long sendId) {
    JsonObject o = new JsonObject();
    ids.forEach((uid, id) -> o.put(Long.toString(uid), id));
    return o.put(SEND_ID, sendId);
  }

  static Map<Long, Long> idsOf(JsonObject stored) {
    Map<Long, Long> ids = new HashMap<>();
    stored.forEach(e -> {
      if (!e.getKey().equals(SEND_ID)) {
        ids.put(Long.parseLong(e.getKey()), ((Number) e.getValue()).longValue());
      }
    });
    return ids;
  }
}
