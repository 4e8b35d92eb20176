package io.ravenpost.audit;

import java.util.Collections;

/** Every SQL statement of the audit trail ({@code audit_log}, on every shard). */
final class AuditSql {
  private AuditSql() {
  }

  /** The column of what was done. */
  static final String ACTION = "action";

  /** Columns of a row written by {@link #insert}. */
  static final int COLUMNS = 8;

  /** {@code rows} audit rows in one statement. */
  static String insert(int rows) {
    String row = "(" + String.join(", ", Collections.nCopies(COLUMNS, "?")) + ")";
    return "INSERT INTO audit_log (at, actor, action, route, target, request_id, result, source) VALUES "
        + String.join(", ", Collections.nCopies(rows, row));
  }
  /** A refusal: the first of its minute is a row, the repeats count on it (the request id stays the first's). */
  static final String REFUSAL = "INSERT INTO audit_log (at, actor, action, route, target, request_id, result, "
      + "source, coalesce_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE repeats = repeats + 1";

  /**
   * One shard's part of a page, newest first, after the cursor {@code (at, shard, id)}: rows of this
   * shard come after the cursor when older, or as old and either on a later shard or, on the
   * cursor's own shard, with a smaller id. The shard's own comparisons are bound as parameters.
   */
  static String page(boolean byActor) {
    return "SELECT id, at, actor, action, route, target, request_id, result, source, repeats FROM audit_log WHERE "
        + (byActor ? "actor = ? AND " : "")
        + "(at < ? OR (at = ? AND (? OR (? AND id < ?)))) ORDER BY at DESC, id DESC LIMIT ?";
  }
}
