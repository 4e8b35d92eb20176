package io.ravenpost.mail.claim;

import io.ravenpost.api.mail.GrantMessage;
import io.ravenpost.api.mail.MailAddresses;
import io.ravenpost.common.Bus;
import io.ravenpost.common.Db;
import io.ravenpost.common.NodeInfo;
import io.ravenpost.common.Stores;
import io.ravenpost.mail.MailConfig;
import io.ravenpost.mail.box.MailMetrics;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transactional outbox of grants. A claim writes its outbox row in the claim's transaction;
 * after commit the claiming node publishes it at once on {@code raven.reward.grant}, and marks it
 * delivered when a consumer replies. Rows whose publish failed, timed out, or whose node died
 * after commit are taken again by {@link #sweep()} (a scheduler job) once their lease
 * ({@code next_attempt_at}) has passed. So a committed grant is published at least once and,
 * while consumers answer in time, exactly once; {@code grantId} makes a repeat harmless.
 */
public final class OutboxRelay {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  private static final long FIRST_BACKOFF_MS = 500;
  private static final SecureRandom TOKENS = new SecureRandom();
  private static final long WAKE_WINDOW_MS = 20;

  private final NodeInfo node;
  private final Stores stores;
  private final MailConfig cfg;
  private final MailMetrics metrics;
  /** Grants that found no consumer registered since the last sweep: logged once per sweep, not each. */
  private final AtomicInteger noConsumer = new AtomicInteger();
  private final AtomicBoolean wakePending = new AtomicBoolean();

  /** One row of the outbox, as leased by a relay. */
  public record Grant(long uid, long mailId, String attachments, String reason, int attempts, long token) {
    public String grantId() {
      return uid + "-" + mailId;
    }

    GrantMessage message() {
      return new GrantMessage(grantId(), uid, mailId, new JsonArray(attachments), reason);
    }
  }

  /** A mail whose attachments are being granted now, inside the caller's transaction. */
  public record Granted(long uid, long mailId, String attachments) {
  }

  public OutboxRelay(NodeInfo node, Stores stores, MailConfig cfg, MailMetrics metrics) {
    this.node = node;
    this.stores = stores;
    this.cfg = cfg;
    this.metrics = metrics;
  }

  /**
   * Writes the outbox rows of {@code granted} on {@code conn} (inside the caller's transaction).
   * When this node relays, the rows are born leased to it, so the sweep leaves them alone while
   * {@link #publishNow} delivers them; otherwise they are due at once for any relay.
   */
  public Future<List<Grant>> record(SqlConnection conn, List<Granted> granted, String reason) {
    if (granted.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    long now = System.currentTimeMillis();
    long token = cfg.relayEnabled() ? TOKENS.nextLong() : 0;
    long due = cfg.relayEnabled() ? now + cfg.relayLeaseMs() : now;
    int attempts = cfg.relayEnabled() ? 1 : 0;
    List<Object> args = new ArrayList<>();
    List<Grant> out = new ArrayList<>();
    for (Granted g : granted) {
      args.addAll(List.of(g.uid(), g.mailId(), g.attachments(), reason, now, attempts, due, token));
      out.add(new Grant(g.uid(), g.mailId(), g.attachments(), reason, attempts, token));
    }
    return conn.preparedQuery(ClaimSql.insertOutbox(granted.size())).execute(Tuple.from(args)).map(r -> out);
  }

  /**
   * Publishes rows this node leased when it wrote them (after their transaction committed); when
   * webhook or pull deliver grants, tells them there is work instead.
   */
  public void publishNow(List<Grant> grants) {
    if (cfg.relayEnabled()) {
      grants.forEach(this::publish);
    } else if (!grants.isEmpty() && wakePending.compareAndSet(false, true)) {
      // One event per short window, however many claims: a burst of claims is one look for each waiter.
      node.vertx().setTimer(WAKE_WINDOW_MS, t -> {
        wakePending.set(false);
        Bus.publish(node.vertx(), MailAddresses.GRANTS_READY, null);
      });
    }
  }

  /**
   * One relay round: on every shard, leases due rows (a batch) and publishes them. Returns how
   * many were acknowledged.
   */
  public Future<Integer> sweep() {
    List<Future<Integer>> shards = new ArrayList<>();
    for (Pool pool : stores.db().all()) {
      shards.add(leaseDue(pool).compose(this::publishAll));
    }
    return Future.all(shards).map(cf -> {
      int n = 0;
      for (int i = 0; i < cf.size(); i++) {
        n += cf.<Integer>resultAt(i);
      }
      int waiting = noConsumer.getAndSet(0);
      if (waiting > 0) {
        LOG.warn("{} grants found no consumer on {}: they stay in the outbox (raven_mail_outbox_backlog) and are "
            + "retried with backoff until a game service registers one", waiting, MailAddresses.REWARD_GRANT.address());
      }
      return n;
    });
  }

  /** Undelivered rows on all shards (the backlog gauge, and a queue of {@code /admin/stats}). */
  public static Future<Long> backlog(Db db) {
    List<Future<Long>> counts = new ArrayList<>();
    for (Pool pool : db.all()) {
      counts.add(pool.query(ClaimSql.OUTBOX_BACKLOG).execute().map(rows -> rows.iterator().next().getLong(0)));
    }
    return Future.all(counts).map(cf -> {
      long n = 0;
      for (int i = 0; i < cf.size(); i++) {
        n += cf.<Long>resultAt(i);
      }
      return n;
    });
  }

  private Future<List<Grant>> leaseDue(Pool pool) {
    long now = System.currentTimeMillis();
    long until = now + cfg.relayLeaseMs();
    long token = TOKENS.nextLong();
    return stores.db().retrying(() -> pool.preparedQuery(ClaimSql.OUTBOX_LEASE)
            .execute(Tuple.of(until, token, now, cfg.relayBatch())))
        .compose(r -> r.rowCount() == 0 ? Future.succeededFuture(List.<Grant>of())
            : pool.preparedQuery(ClaimSql.OUTBOX_LEASED).execute(Tuple.of(until, token)).map(rows -> {
              List<Grant> out = new ArrayList<>();
              for (Row row : rows) {
                out.add(new Grant(row.getLong("uid"), row.getLong("mail_id"), row.getString("attachments"),
                    row.getString("reason"), row.getInteger("attempts"), token));
              }
              return out;
            }));
  }

  private Future<Integer> publishAll(List<Grant> grants) {
    List<Future<Boolean>> each = grants.stream().map(this::publish).toList();
    return Future.join(each).transform(ar -> {
      int acked = 0;
      for (Future<Boolean> f : each) {
        if (f.succeeded() && f.result()) {
          acked++;
        }
      }
      return Future.succeededFuture(acked);
    });
  }

  /** One attempt: true when a consumer acknowledged; a failure reschedules the row. */
  private Future<Boolean> publish(Grant g) {
    // Counted in raven_mail_grants_retried_total; the line itself is for debugging one grant.
    if (g.attempts() > 1) {
      LOG.debug("grant retry grantId={} uid={} mailId={} attempt={}", g.grantId(), g.uid(), g.mailId(), g.attempts());
    }
    DeliveryOptions opts = new DeliveryOptions().setSendTimeout(cfg.grantTimeoutMs());
    return Bus.request(node.vertx(), MailAddresses.REWARD_GRANT, g.message(), opts)
        .compose(reply -> delivered(g), t -> retryLater(g, t))
        .recover(t -> {
          LOG.warn("grant bookkeeping failed grantId={}: {} (the sweep will retry it)", g.grantId(), t.toString());
          return Future.succeededFuture(false);
        });
  }

  private Future<Boolean> delivered(Grant g) {
    metrics.grantPublished();
    LOG.debug("grant delivered grantId={} uid={} mailId={} reason={}", g.grantId(), g.uid(), g.mailId(), g.reason());
    long now = System.currentTimeMillis();
    return stores.db().retrying(() -> stores.db().forUid(g.uid()).preparedQuery(ClaimSql.OUTBOX_DELIVERED)
        .execute(Tuple.of(now, g.uid(), g.mailId()))).map(r -> true);
  }

  private Future<Boolean> retryLater(Grant g, Throwable why) {
    metrics.grantRetried();
    long backoff = Math.min(cfg.relayMaxBackoffMs(), FIRST_BACKOFF_MS << Math.min(20, Math.max(0, g.attempts() - 1)));
    long next = System.currentTimeMillis() + backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1);
    if (why instanceof ReplyException re && re.failureType() == ReplyFailure.NO_HANDLERS) {
      // Nobody consumes grants yet (a setup matter, not this grant's): one warning per sweep.
      noConsumer.incrementAndGet();
      LOG.debug("grant waiting for a consumer grantId={} uid={} mailId={} attempt={}; next try in ~{} ms",
          g.grantId(), g.uid(), g.mailId(), g.attempts(), backoff);
    } else {
      LOG.warn("grant not acknowledged grantId={} uid={} mailId={} attempt={}: {}; next try in ~{} ms",
          g.grantId(), g.uid(), g.mailId(), g.attempts(), why.getMessage(), backoff);
    }
    return stores.db().retrying(() -> stores.db().forUid(g.uid()).preparedQuery(ClaimSql.OUTBOX_RETRY)
        .execute(Tuple.of(next, g.uid(), g.mailId(), g.token()))).map(r -> false);
  }
}
