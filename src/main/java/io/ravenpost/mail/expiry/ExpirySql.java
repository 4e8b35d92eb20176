package io.ravenpost.mail.expiry;

import static io.ravenpost.mail.box.MailSql.keysIn;

import io.ravenpost.mail.box.MailSql;

/** The SQL of the expiry and purge jobs. */
final class ExpirySql {
  private ExpirySql() {
  }

  // Expiry and purge (scheduler jobs).
  static final String EXPIRED = "SELECT uid, id, attachments, claimed_at FROM mailbox "
      + "WHERE deleted_at IS NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?";

  /** Which of the keys are still to expire, locked. Params: keys..., now. */
  static String expiredForUpdate(int ids) {
    return "SELECT uid, id FROM " + MailSql.BY_KEY + " WHERE " + keysIn(ids) + " AND deleted_at IS NULL AND expires_at <= ? FOR UPDATE";
  }

  static String expiredUnclaimedForUpdate(int ids) {
    return "SELECT uid, id, attachments FROM " + MailSql.BY_KEY + " WHERE " + keysIn(ids) + " AND deleted_at IS NULL "
        + "AND claimed_at IS NULL AND attachments IS NOT NULL FOR UPDATE";
  }

  static String claimExpired(int ids) {
    return "UPDATE " + MailSql.BY_KEY + " SET claimed_at = ? WHERE " + keysIn(ids) + " AND claimed_at IS NULL";
  }

  static String markExpired(int ids) {
    return "UPDATE " + MailSql.BY_KEY + " SET deleted_at = ? WHERE " + keysIn(ids) + " AND deleted_at IS NULL "
        + "AND expires_at <= ?";
  }

  static final String PURGE_MAIL = "DELETE FROM mailbox WHERE deleted_at < ? LIMIT ?";
  static final String PURGE_OUTBOX = "DELETE FROM mail_outbox WHERE delivered_at < ? LIMIT ?";
  static final String PURGE_IDEMPOTENCY = "DELETE FROM mail_idempotency WHERE created_at < ? LIMIT ?";
  static final String PURGE_SEND_PARTS = "DELETE FROM send_parts WHERE created_at < ? LIMIT ?";

}
