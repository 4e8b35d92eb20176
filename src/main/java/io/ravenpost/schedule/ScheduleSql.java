package io.ravenpost.schedule;

/**
 * Every SQL statement of schedules ({@code schedules}, {@code schedule_runs}: V012), all on the
 * primary shard.
 */
final class ScheduleSql {
  private ScheduleSql() {
  }

  static final String COLUMNS = "id, name, cron, timezone, starts_at, ends_at, mail, created_by, created_at, "
      + "deleted_at, next_run_at, last_run_at, pending_run_at, lease_owner, lease_until, attempts, due_at";

  // Operators' routes.
  static final String INSERT = "INSERT INTO schedules (name, cron, timezone, starts_at, ends_at, mail, created_by, "
      + "created_at, next_run_at, due_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  static final String PAGE = "SELECT " + COLUMNS + " FROM schedules WHERE deleted_at IS NULL AND id < ? "
      + "ORDER BY id DESC LIMIT ?";
  static final String ONE = "SELECT " + COLUMNS + " FROM schedules WHERE id = ?";
  static final String RUNS = "SELECT run_at, status, result, error, node, finished_at FROM schedule_runs "
      + "WHERE schedule_id = ? ORDER BY run_at DESC LIMIT ?";
  /** No run after this; a run already claimed still finishes (it may have sent already). */
  static final String DELETE = "UPDATE schedules SET deleted_at = ?, next_run_at = NULL, "
      + "due_at = IF(pending_run_at IS NULL, NULL, due_at) WHERE id = ? AND deleted_at IS NULL";
  static final String EXISTS = "SELECT deleted_at FROM schedules WHERE id = ?";

  // The job.
  static final String DUE = "SELECT id FROM schedules WHERE due_at <= ? ORDER BY due_at LIMIT ?";
  /** Claims serialize on the schedule's row: the second to come sees the first's lease. */
  static final String LOCK = "SELECT " + COLUMNS + " FROM schedules WHERE id = ? FOR UPDATE";
  static final String CLAIM = "UPDATE schedules SET pending_run_at = ?, lease_owner = ?, lease_until = ?, due_at = ? "
      + "WHERE id = ?";
  /**
   * Whoever finishes the pending run records it: sent or failed, the next run, no lease. Guarded on
   * the pending run, so a run is finished once even when two nodes both sent it (the second send
   * answered from the first's idempotency key). A deleted schedule gets no next run.
   */
  static final String FINISH = "UPDATE schedules SET last_run_at = GREATEST(COALESCE(last_run_at, 0), ?), "
      + "next_run_at = IF(deleted_at IS NULL, ?, NULL), due_at = IF(deleted_at IS NULL, ?, NULL), "
      + "pending_run_at = NULL, lease_owner = NULL, lease_until = NULL, attempts = 0 "
      + "WHERE id = ? AND pending_run_at = ?";
  /** The claimer gives the run back for a retry after the pause; the attempt counts unless it waited on another. */
  static final String RETRY = "UPDATE schedules SET lease_owner = NULL, lease_until = NULL, due_at = ?, "
      + "attempts = attempts + ? WHERE id = ? AND pending_run_at = ? AND lease_owner = ?";

  /** {@code n} runs' records in one statement; a repeat of one (a run recorded before) changes nothing. */
  static String recordRuns(int n) {
    StringBuilder sb = new StringBuilder("INSERT INTO schedule_runs (schedule_id, run_at, status, result, error, "
        + "node, finished_at) VALUES ");
    for (int i = 0; i < n; i++) {
      sb.append(i == 0 ? "" : ", ").append("(?, ?, ?, ?, ?, ?, ?)");
    }
    return sb.append(" ON DUPLICATE KEY UPDATE schedule_id = schedule_id").toString();
  }
}
