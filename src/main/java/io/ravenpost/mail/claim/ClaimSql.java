package io.ravenpost.mail.claim;

import static io.ravenpost.mail.box.MailSql.BY_KEY;
import static io.ravenpost.mail.box.MailSql.VISIBLE;
import static io.ravenpost.mail.box.MailSql.marks;
import static io.ravenpost.mail.box.MailSql.rows;


/** The SQL of claims and of the outbox of grants written in the same transaction. */
final class ClaimSql {
  private ClaimSql() {
  }

  /** The claim: changes a row only if it is the caller's, visible, carries attachments and is unclaimed. */
  static final String CLAIM = "UPDATE " + BY_KEY + " SET claimed_at = ?, read_at = COALESCE(read_at, ?) "
      + "WHERE uid = ? AND id = ? AND claimed_at IS NULL AND attachments IS NOT NULL AND " + VISIBLE;
  static final String ATTACHMENTS = "SELECT attachments, read_at FROM " + BY_KEY + " WHERE uid = ? AND id = ?";
  /** claimAll locks what it will claim first, so it knows exactly which rows it changed. */
  static final String CLAIMABLE_FOR_UPDATE = "SELECT id, attachments, read_at FROM mailbox WHERE uid = ? "
      + "AND claimed_at IS NULL AND attachments IS NOT NULL AND " + VISIBLE + " ORDER BY id LIMIT ? FOR UPDATE";

  static String claimMany(int ids) {
    return "UPDATE " + BY_KEY + " SET claimed_at = ?, read_at = COALESCE(read_at, ?) WHERE uid = ? AND id IN ("
        + marks(ids) + ") AND claimed_at IS NULL";
  }

  // The outbox of grants.
  static String insertOutbox(int rows) {
    return "INSERT INTO mail_outbox (uid, mail_id, attachments, reason, created_at, attempts, next_attempt_at, "
        + "lease_token) VALUES " + rows(rows, 8);
  }

  static final String OUTBOX_LEASE = "UPDATE mail_outbox SET next_attempt_at = ?, lease_token = ?, "
      + "attempts = attempts + 1 WHERE delivered_at IS NULL AND dead_at IS NULL AND next_attempt_at <= ? "
      + "ORDER BY next_attempt_at LIMIT ?";
  static final String OUTBOX_LEASED = "SELECT uid, mail_id, attachments, reason, attempts FROM mail_outbox "
      + "WHERE delivered_at IS NULL AND next_attempt_at = ? AND lease_token = ?";
  static final String OUTBOX_DELIVERED = "UPDATE mail_outbox SET delivered_at = ? WHERE uid = ? AND mail_id = ? "
      + "AND delivered_at IS NULL";
  static final String OUTBOX_RETRY = "UPDATE mail_outbox SET next_attempt_at = ? WHERE uid = ? AND mail_id = ? "
      + "AND lease_token = ? AND delivered_at IS NULL";
  /** Grants still on their way: dead letters wait for an operator, not the game, and are not counted. */
  static final String OUTBOX_BACKLOG = "SELECT COUNT(*) FROM mail_outbox WHERE delivered_at IS NULL "
      + "AND dead_at IS NULL";

}
