package io.ravenpost.schedule;

import io.ravenpost.common.Db;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;

/**
 * Where each schedule's runs stand, in MySQL: which schedules are due, claiming a run (one node at
 * a time, under the schedule's row lock), and finishing it or giving it back for a retry. A claim
 * writes the run it chose ({@code pending_run_at}) before anything is sent, so a node that takes
 * the run over after the lease retries that same run, with the same idempotency key.
 */
final class RunClaims {
  /** After downtime, the skipped runs recorded at most (the most recent ones). */
  static final int MAX_SKIPPED_RECORDED = 100;
  static final String SENT = "sent";
  static final String SKIPPED = "skipped";
  static final String FAILED = "failed";
  private static final int MAX_ERROR_CHARS = 512;

  /**
   * A run this node claimed.
   *
   * @param token   the claim's lease owner: the node and a random part
   * @param skipped older due runs this claim skipped (newest first), recorded with the claim
   */
  record Claim(Schedule schedule, long runAt, String token, List<Long> skipped) {
    long id() {
      return schedule.id();
    }

    /** The run's idempotency key for the send path: the same for every try of this run, on any node. */
    String key() {
      return "schedule:" + schedule.id() + ":" + runAt;
    }
  }

  private final Db db;
  private final String nodeId;
  private final ScheduleConfig cfg;

  RunClaims(Db db, String nodeId, ScheduleConfig cfg) {
    this.db = db;
    this.nodeId = nodeId;
    this.cfg = cfg;
  }

  /** Schedules the job must look at by {@code now}, soonest first. */
  Future<List<Long>> due(long now) {
    return db.read(() -> db.primary().preparedQuery(ScheduleSql.DUE).execute(Tuple.of(now, cfg.batch())))
        .map(rows -> {
          List<Long> ids = new ArrayList<>();
          rows.forEach(r -> ids.add(r.getLong("id")));
          return ids;
        });
  }

  /**
   * Claims the schedule's due run, or answers null when it is not due (any more): another node
   * holds it, finished it, or it was deleted. A run left pending (its node died, or its send
   * failed) is claimed again as it is; otherwise the run is the latest due one and older due runs
   * are recorded as skipped. The time is read once the row lock is had: a claim may wait on another
   * claim's transaction, and a lease is judged against the time the first claim ends.
   */
  Future<Claim> claim(long id, LongSupplier clock) {
    String token = nodeId + "/" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    return db.tx(db.primary(), conn -> conn.preparedQuery(ScheduleSql.LOCK).execute(Tuple.of(id))
        .compose(rows -> rows.size() == 0 ? Future.succeededFuture(null)
            : take(conn, Schedule.fromRow(rows.iterator().next()), token, clock.getAsLong())));
  }

  private Future<Claim> take(SqlConnection conn, Schedule s, String token, long now) {
    if (s.dueAt() == null || s.dueAt() > now) {
      return Future.succeededFuture(null);
    }
    Claim c;
    if (s.pendingRunAt() != null) {
      c = new Claim(s, s.pendingRunAt(), token, List.of());
    } else if (s.nextRunAt() != null) {
      long runAt = s.rule().latestDue(s.nextRunAt(), now);
      c = new Claim(s, runAt, token, s.rule().skipped(s.nextRunAt(), runAt, MAX_SKIPPED_RECORDED));
    } else {
      return Future.succeededFuture(null);
    }
    long until = now + cfg.leaseMs();
    return conn.preparedQuery(ScheduleSql.CLAIM).execute(Tuple.of(c.runAt(), token, until, until, s.id()))
        .compose(v -> record(conn, s.id(), c.skipped(), SKIPPED, null, null, now))
        .map(c);
  }

  /**
   * Finishes the pending run as {@code status} ({@link #SENT} with the send's answer, or
   * {@link #FAILED} with the error) and moves the schedule to its next run. False when the run was
   * finished already (by another node that sent it too: the same answer, from the key).
   */
  Future<Boolean> finish(Claim c, String status, JsonObject result, String error, long now) {
    OptionalLong next = c.schedule().rule().after(c.runAt());
    Long nextRun = next.isPresent() ? next.getAsLong() : null;
    Tuple args = Tuple.from(Arrays.asList(c.runAt(), nextRun, nextRun, c.id(), c.runAt()));
    return db.tx(db.primary(), conn -> conn.preparedQuery(ScheduleSql.FINISH).execute(args)
        .compose(r -> r.rowCount() == 0 ? Future.succeededFuture(false)
            : record(conn, c.id(), List.of(c.runAt()), status, result, error, now).map(true)));
  }

  /** Gives the run back to be tried again after {@code schedule.retryMs}; {@code counts} when it was an attempt. */
  Future<Void> retry(Claim c, boolean counts, long now) {
    return db.retrying(() -> db.primary().preparedQuery(ScheduleSql.RETRY)
        .execute(Tuple.of(now + cfg.retryMs(), counts ? 1 : 0, c.id(), c.runAt(), c.token())).mapEmpty());
  }

  private Future<Void> record(SqlConnection conn, long id, List<Long> runs, String status, JsonObject result,
                              String error, long now) {
    if (runs.isEmpty()) {
      return Future.succeededFuture();
    }
    String err = error == null || error.length() <= MAX_ERROR_CHARS ? error : error.substring(0, MAX_ERROR_CHARS);
    List<Object> args = new ArrayList<>();
    for (long runAt : runs) {
      args.addAll(Arrays.asList(id, runAt, status, result == null ? null : result.encode(), err, nodeId, now));
    }
    return conn.preparedQuery(ScheduleSql.recordRuns(runs.size())).execute(Tuple.from(args)).mapEmpty();
  }
}
