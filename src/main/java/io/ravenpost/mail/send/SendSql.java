package io.ravenpost.mail.send;

import static io.ravenpost.mail.box.MailSql.VISIBLE;
import static io.ravenpost.mail.box.MailSql.keysIn;
import static io.ravenpost.mail.box.MailSql.marks;
import static io.ravenpost.mail.box.MailSql.rows;

import io.ravenpost.mail.box.MailSql;

/** The SQL of sending: multi-row inserts, the capacity rule, producers' idempotency keys. */
final class SendSql {
  private SendSql() {
  }

  // Sending.
  static String insertMails(int rows) {
    return "INSERT INTO mailbox (uid, kind, sender, sender_uid, title, body, attachments, send_ref, send_id, "
        + "created_at, expires_at, text_id) VALUES " + rows(rows, 12);
  }

  /**
   * The ids of one multi-row insert: its own rows, found by the random reference of each send in
   * it (one send names a uid at most once, so uid and reference name one row).
   */
  static String insertedIds(int uids, int refs) {
    return "SELECT uid, id, send_ref FROM mailbox WHERE uid IN (" + marks(uids) + ") AND id >= ? AND send_ref IN ("
        + marks(refs) + ")";
  }

  /** The parts of a batch, first in its transaction: a part written before is a duplicate key here. */
  static String insertParts(int parts) {
    return "INSERT INTO send_parts (ref, created_at) VALUES " + rows(parts, 2);
  }

  /** A part committed earlier, read back: its mails in its recipients' mailboxes. */
  static String partMails(int uids) {
    return "SELECT m.id, m.uid, m.kind, m.sender, m.sender_uid, m.title, m.created_at, m.expires_at, m.text_id, "
        + "(m.attachments IS NOT NULL) AS has_attachments, f.seq FROM mailbox m "
        + "LEFT JOIN mail_feed f ON f.uid = m.uid AND f.type = 'new' AND f.mail_id = m.id "
        + "WHERE m.uid IN (" + marks(uids) + ") AND m.send_ref = ?";
  }

  static String overCapacity(int uids) {
    return "SELECT uid, COUNT(*) FROM mailbox WHERE uid IN (" + marks(uids) + ") AND " + VISIBLE
        + " GROUP BY uid HAVING COUNT(*) > ?";
  }

  private static final String EVICTABLE = "(attachments IS NULL OR claimed_at IS NOT NULL)";

  /**
   * The first {@code perUid} mails of each uid that hold no unclaimed attachments, players' mail
   * first and then the oldest (window function); with {@code playerOnly}, players' mail only.
   */
  static String evictionCandidates(int uids, boolean playerOnly) {
    return "SELECT uid, id FROM (SELECT uid, id, ROW_NUMBER() OVER (PARTITION BY uid "
        + "ORDER BY (kind <> 'player'), id) AS rn FROM mailbox WHERE uid IN (" + marks(uids) + ") AND " + VISIBLE
        + " AND " + EVICTABLE + (playerOnly ? " AND kind = 'player'" : "") + ") oldest WHERE rn <= ? ORDER BY uid, rn";
  }

  /** Which of the chosen victims may still go, locked. Params: keys..., now, now. */
  static String evictable(int ids) {
    return "SELECT uid, id FROM " + MailSql.BY_KEY + " WHERE " + keysIn(ids) + " AND " + VISIBLE + " AND " + EVICTABLE + " FOR UPDATE";
  }

  static String evict(int ids) {
    return "UPDATE " + MailSql.BY_KEY + " SET deleted_at = ? WHERE " + keysIn(ids);
  }

  // Idempotency keys of producers.
  static final String IDEMPOTENCY_GET = "SELECT request_hash, result FROM mail_idempotency WHERE idem_key = ?";
  static String idempotencyPut(int keys) {
    return "INSERT INTO mail_idempotency (idem_key, request_hash, result, created_at) VALUES " + rows(keys, 4);
  }

}
