package io.ravenpost.mail.send;

import io.ravenpost.api.ErrorCode;
import io.ravenpost.api.feed.FeedEntry;
import io.ravenpost.common.Db;
import io.ravenpost.common.Errors;
import io.ravenpost.mail.box.Mail;
import io.ravenpost.mail.box.MailMetrics;
import io.ravenpost.mail.box.MailNotifier;
import io.ravenpost.mail.send.BatchWrite.Part;
import io.ravenpost.mail.send.BatchWrite.Pending;
import io.ravenpost.mail.send.BatchWrite.Written;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for sends: the parts of concurrent sends bound for one shard are written
 * in one transaction ({@link BatchWrite}). There is no timer: a part goes at once while fewer than
 * {@code inFlight} transactions run for its shard, otherwise it waits and the next transaction to
 * start takes every waiting part up to {@code maxRows} rows. A quiet system pays no latency; a busy
 * one turns many commits into few. Players' mail has lanes of its own (it may only evict players'
 * mail), and two parts with one idempotency key never share a transaction. When a batch fails, its
 * parts are written again one by one, so one bad send cannot fail the others; each answers alone.
 * Every part carries an id its transaction writes ({@code send_parts}), so when a COMMIT's outcome is
 * unknown, writing a part again finds it committed and reads it back instead of storing it twice. A
 * lane holds at most {@code maxQueued} waiting parts; more are refused UNAVAILABLE.
 */
final class SendBatcher {
  private static final Logger LOG = LoggerFactory.getLogger(SendBatcher.class);
  private static final SecureRandom REFS = new SecureRandom();
  /** How often a part whose commit outcome is unknown is written again before the sender is told so. */
  private static final int UNKNOWN_ATTEMPTS = 5;

  private final Db db;
  private final BatchWrite writer;
  private final Idempotency idempotency;
  private final MailNotifier notifier;
  private final MailMetrics metrics;
  private final int maxRows;
  private final int inFlight;
  private final int maxQueued;
  private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

  /** A part and whom to answer, on the caller's context. */
  private record Waiting(Pending part, Promise<Part> answer, Context context) {
  }

  SendBatcher(Db db, BatchWrite writer, Idempotency idempotency, MailNotifier notifier, MailMetrics metrics,
              int maxRows, int inFlight, int maxQueued) {
    this.maxQueued = maxQueued;
    this.db = db;
    this.writer = writer;
    this.idempotency = idempotency;
    this.notifier = notifier;
    this.metrics = metrics;
    this.maxRows = maxRows;
    this.inFlight = inFlight;
  }

  /** Stores one send's part on {@code shard}; answers once it is committed (or failed). */
  Future<Part> submit(int shard, Pool pool, SendRequest req, List<Long> uids, String key, long sendId) {
    boolean playerOnly = Mail.PLAYER.equals(req.kind());
    Lane lane = lanes.computeIfAbsent(shard + (playerOnly ? "/player" : "/system"), k -> new Lane(pool, playerOnly));
    Promise<Part> answer = Promise.promise();
    lane.add(new Waiting(new Pending(req, uids, key, REFS.nextLong(), sendId), answer, Vertx.currentContext()));
    return answer.future();
  }

  private final class Lane {
    private final Pool pool;
    private final boolean playerOnly;
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private int running;

    Lane(Pool pool, boolean playerOnly) {
      this.pool = pool;
      this.playerOnly = playerOnly;
    }

    void add(Waiting w) {
      List<Waiting> batch;
      synchronized (this) {
        if (queue.size() >= maxQueued) {
          metrics.sendRefused("queue_full");
          settle(w, () -> w.answer().fail(ErrorCode.UNAVAILABLE.error("the send queue of this shard is full ("
              + maxQueued + " sends); retry later")));
          return;
        }
        queue.add(w);
        if (running >= inFlight) {
          return;
        }
        running++;
        batch = take();
      }
      run(batch);
    }

    /** The waiting parts of the next transaction, oldest first (under the lock). */
    private List<Waiting> take() {
      List<Waiting> batch = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      int rows = 0;
      for (Iterator<Waiting> it = queue.iterator(); it.hasNext(); ) {
        Waiting w = it.next();
        if (!batch.isEmpty() && rows + w.part().rows() > maxRows) {
          break;
        }
        if (w.part().key() != null && !keys.add(w.part().key())) {
          continue;
        }
        it.remove();
        batch.add(w);
        rows += w.part().rows();
      }
      return batch;
    }

    private void run(List<Waiting> batch) {
      write(batch).onComplete(ar -> {
        List<Waiting> next = null;
        synchronized (this) {
          if (!queue.isEmpty()) {
            next = take();
          } else {
            running--;
          }
        }
        if (next != null) {
          run(next);
        }
      });
    }

    private Future<Void> write(List<Waiting> batch) {
      List<Pending> parts = batch.stream().map(Waiting::part).toList();
      metrics.sendBatch(parts.stream().mapToInt(Pending::rows).sum());
      return store(batch).transform(ar -> {
        if (ar.succeeded()) {
          return Future.succeededFuture();
        }
        boolean unknown = outcomeUnknown(ar.cause());
        if (batch.size() == 1 && !unknown) {
          return alone(batch.get(0), ar.cause());
        }
        metrics.sendBatchSplit();
        LOG.warn("a batch of {} sends failed ({}{}); writing them one by one", batch.size(), ar.cause().toString(),
            unknown ? ", its commit may have landed" : "");
        return Future.join(batch.stream().map(w -> rewrite(w, 1)).toList()).mapEmpty();
      });
    }

    /**
     * Writes one part again, alone. A part that an earlier transaction did commit (its id is taken)
     * is read back and answered, never written twice. While the database cannot say, it is asked
     * again for a while: a send whose fate is unknown is not answered "retry".
     */
    private Future<Void> rewrite(Waiting w, int attempt) {
      return store(List.of(w)).transform(one -> {
        if (one.succeeded()) {
          return Future.<Void>succeededFuture();
        }
        if (one.cause() instanceof BatchWrite.PartWritten) {
          return BatchWrite.committed(pool, w.part()).transform(c -> c.succeeded()
              ? answerCommitted(w, c.result()) : alone(w, c.cause()));
        }
        boolean unreachable = Errors.codeOf(one.cause()) == ErrorCode.UNAVAILABLE;
        if (unreachable && attempt < UNKNOWN_ATTEMPTS) {
          return db.vertx().timer(100L << attempt).compose(v -> rewrite(w, attempt + 1));
        }
        return alone(w, unreachable ? ErrorCode.UNAVAILABLE.error("the database did not answer whether this "
            + "send was stored; repeat it with the same idempotency key") : one.cause());
      });
    }

    /**
     * One transaction for these parts, its players' writes marked before it ({@link MailNotifier#writing})
     * and settled after it, whichever way it ends; answered when it commits.
     */
    private Future<Void> store(List<Waiting> parts) {
      Set<Long> uids = new HashSet<>();
      parts.forEach(w -> uids.addAll(w.part().uids()));
      // Marked before the transaction: a slow Redis delays its start, never a COMMIT holding row locks.
      return notifier.writing(uids).compose(marked -> db.tx(pool, conn -> writer.write(conn,
              parts.stream().map(Waiting::part).toList(), playerOnly))
          .transform(ar -> {
            if (ar.failed()) {
              return notifier.abandoned(uids).transform(v -> Future.<Void>failedFuture(ar.cause()));
            }
            Written w = ar.result();
            answer(parts, marked ? w : new Written(w.parts(), uids, w.removals()));
            return Future.<Void>succeededFuture();
          }));
    }

    /**
     * A part that failed on its own. Two sends with one key that both missed the in-flight lease:
     * the key's primary key let one commit, and this one answers what that one stored.
     */
    private Future<Void> alone(Waiting w, Throwable cause) {
      Pending p = w.part();
      Future<Part> replay = p.key() != null && Errors.isDuplicateKey(cause)
          ? idempotency.read(pool, p.key(), p.req().requestHash())
              .map(r -> new Part(PersonalDelivery.idsOf(r), List.of(), List.of(), r.getLong("sendId", p.sendId())))
          : Future.failedFuture(cause);
      return replay.onComplete(ar -> settle(w, () -> {
        if (ar.succeeded()) {
          w.answer().complete(ar.result());
        } else {
          w.answer().fail(ar.cause());
        }
      })).transform(ar -> Future.succeededFuture());
    }
  }

  /**
   * A part found committed: its players were never told, and capacity may have taken mail, so their
   * counts are recounted (marked first, as every settled write is).
   */
  private Future<Void> answerCommitted(Waiting w, Part part) {
    return notifier.writing(part.ids().keySet()).transform(v -> {
      answer(List.of(w), new Written(List.of(part), part.ids().keySet(), List.of()));
      return Future.succeededFuture();
    });
  }

  /** The connection died under the transaction: its COMMIT may have landed. */
  private static boolean outcomeUnknown(Throwable t) {
    return Errors.isConnectionLost(t);
  }

  /** Tells the players of every committed part, then answers each sender on its own context. */
  private void answer(List<Waiting> batch, Written written) {
    List<Mail> stored = new ArrayList<>();
    List<FeedEntry> feed = new ArrayList<>(written.removals());
    written.parts().forEach(p -> {
      stored.addAll(p.stored());
      feed.addAll(p.feed());
    });
    notifier.stored(stored, feed, written.recount());
    for (int i = 0; i < batch.size(); i++) {
      Waiting w = batch.get(i);
      Part part = written.parts().get(i);
      settle(w, () -> w.answer().complete(part));
    }
  }

  private static void settle(Waiting w, Runnable done) {
    if (w.context() == null || w.context() == Vertx.currentContext()) {
      done.run();
    } else {
      w.context().runOnContext(v -> done.run());
    }
  }
}
