package io.ravenpost.grants;

import io.ravenpost.common.SqlKeys;

/**
 * The SQL of delivering grants by webhook or pull, on the outbox rows claims write. Times are epoch
 * ms. A row is open while neither {@code delivered_at} nor {@code dead_at} is set.
 */
final class GrantSql {
  private GrantSql() {
  }

  private static final String OPEN = "delivered_at IS NULL AND dead_at IS NULL";

  /**
   * Rows that may be offered now: due, and the earliest open row of their uid, with no later row of
   * that uid out on a lease (one grant of a uid in flight at a time, in {@code mail_id} order).
   * Read without locks; {@link #lease} re-checks each row as it takes it.
   */
  static final String OFFERABLE = "SELECT o.uid, o.mail_id FROM mail_outbox o WHERE o.delivered_at IS NULL "
      + "AND o.dead_at IS NULL AND o.next_attempt_at <= ? AND NOT EXISTS (SELECT 1 FROM mail_outbox e "
      + "WHERE e.uid = o.uid AND e.delivered_at IS NULL AND e.dead_at IS NULL "
      + "AND (e.mail_id < o.mail_id OR (e.next_attempt_at > ? AND e.lease_token <> 0))) "
      + "ORDER BY o.next_attempt_at LIMIT ?";

  /**
   * Takes the given rows that are still open and due, for one lease. Two callers racing for a row:
   * the second finds it no longer due and skips it.
   */
  static String lease(int rows) {
    return "UPDATE mail_outbox SET next_attempt_at = ?, lease_token = ?, attempts = attempts + 1 WHERE " + OPEN
        + " AND next_attempt_at <= ? AND " + SqlKeys.pairsIn("uid", "mail_id", rows);
  }

  static final String LEASED = "SELECT uid, mail_id, attachments, created_at, attempts, last_error FROM mail_outbox "
      + "WHERE "
      + OPEN + " AND next_attempt_at = ? AND lease_token = ? ORDER BY uid, mail_id";

  static String ack(int rows) {
    return "UPDATE mail_outbox SET delivered_at = ?, last_error = NULL WHERE " + OPEN + " AND "
        + SqlKeys.pairsIn("uid", "mail_id", rows);
  }

  /** A failed attempt: the row waits until {@code next_attempt_at}, keeping why. */
  static final String RETRY = "UPDATE mail_outbox SET next_attempt_at = ?, last_error = ? WHERE uid = ? "
      + "AND mail_id = ? AND lease_token = ? AND " + OPEN;

  static final String DEAD_LETTER = "UPDATE mail_outbox SET dead_at = ?, last_error = COALESCE(last_error, "
      + "'not acknowledged') WHERE " + OPEN + " AND COALESCE(resent_at, created_at) < ? LIMIT ?";

  static final String DEAD = "SELECT uid, mail_id, attachments, created_at, attempts, dead_at, last_error "
      + "FROM mail_outbox WHERE dead_at IS NOT NULL AND delivered_at IS NULL ORDER BY dead_at DESC, uid, mail_id "
      + "LIMIT ?";

  static final String RESEND = "UPDATE mail_outbox SET dead_at = NULL, resent_at = ?, next_attempt_at = ?, "
      + "lease_token = 0, attempts = 0, last_error = NULL WHERE uid = ? AND mail_id = ? AND dead_at IS NOT NULL "
      + "AND delivered_at IS NULL";

  static final String OLDEST_OPEN = "SELECT MIN(created_at) FROM mail_outbox WHERE " + OPEN;
}
