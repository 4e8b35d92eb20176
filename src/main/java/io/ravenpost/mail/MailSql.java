package io.ravenpost.mail;

import java.util.Collections;

/**
 * Every SQL statement of the mail role, in one place. All of them run on the shard of the uid
 * they touch ({@code Db.forUid}); none joins across shards. {@code VISIBLE} takes two parameters,
 * both "now": a mail is visible while not deleted, not expired and already created.
 */
final class MailSql {
  private MailSql() {
  }

  static final String VISIBLE = "deleted_at IS NULL AND expires_at > ? AND created_at <= ?";
  private static final String SUMMARY = "id, uid, kind, sender, sender_uid, title, "
      + "(attachments IS NOT NULL) AS has_attachments, created_at, expires_at, read_at, claimed_at";
  private static final String FULL = "id, uid, kind, sender, sender_uid, title, body, attachments, "
      + "created_at, expires_at, read_at, claimed_at, deleted_at";

  /**
   * One player's rows are reached through the primary key (uid, id) only. Left alone, MariaDB
   * plans these single-row updates on idx_mailbox_id, locking the secondary record before the
   * row while a claim locks the row first: two orders, and InnoDB deadlocks under races.
   */
  private static final String BY_KEY = "mailbox FORCE INDEX (PRIMARY)";

  // Reads of one mailbox.
  static final String PAGE = "SELECT " + SUMMARY + " FROM mailbox WHERE uid = ? AND id < ? AND " + VISIBLE
      + " ORDER BY id DESC LIMIT ?";
  static final String FULL_PAGE = "SELECT " + FULL + " FROM mailbox WHERE uid = ? AND id < ? AND " + VISIBLE
      + " ORDER BY id DESC LIMIT ?";
  static final String GET = "SELECT " + FULL + " FROM " + BY_KEY + " WHERE uid = ? AND id = ?";
  static final String MAX_ID = "SELECT MAX(id) FROM mailbox WHERE uid = ?";
  static final String UNREAD = "SELECT COUNT(*) FROM mailbox WHERE uid = ? AND read_at IS NULL AND " + VISIBLE;

  static String unreadMany(int uids) {
    return "SELECT uid, COUNT(*) FROM mailbox WHERE uid IN (" + marks(uids) + ") AND read_at IS NULL AND "
        + VISIBLE + " GROUP BY uid";
  }

  // Changes to one mail.
  static final String MARK_READ = "UPDATE " + BY_KEY + " SET read_at = ? WHERE uid = ? AND id = ? AND read_at IS NULL";
  static final String DELETE = "UPDATE " + BY_KEY + " SET deleted_at = ? WHERE uid = ? AND id = ? AND " + VISIBLE
      + " AND (attachments IS NULL OR claimed_at IS NOT NULL)";
  /** The claim: changes a row only if it is the caller's, visible, carries attachments and is unclaimed. */
  static final String CLAIM = "UPDATE " + BY_KEY + " SET claimed_at = ?, read_at = COALESCE(read_at, ?) "
      + "WHERE uid = ? AND id = ? AND claimed_at IS NULL AND attachments IS NOT NULL AND " + VISIBLE;
  static final String ATTACHMENTS = "SELECT attachments FROM " + BY_KEY + " WHERE uid = ? AND id = ?";
  /** claimAll locks what it will claim first, so it knows exactly which rows it changed. */
  static final String CLAIMABLE_FOR_UPDATE = "SELECT id, attachments FROM mailbox WHERE uid = ? "
      + "AND claimed_at IS NULL AND attachments IS NOT NULL AND " + VISIBLE + " ORDER BY id FOR UPDATE";

  static String claimMany(int ids) {
    return "UPDATE " + BY_KEY + " SET claimed_at = ?, read_at = COALESCE(read_at, ?) WHERE uid = ? AND id IN ("
        + marks(ids) + ") AND claimed_at IS NULL";
  }

  // Sending.
  static String insertMails(int rows) {
    return "INSERT INTO mailbox (uid, kind, sender, sender_uid, title, body, attachments, send_ref, created_at, "
        + "expires_at) VALUES " + rows(rows, 10);
  }

  /** The ids of one multi-row insert: its own rows, found by the send's random reference. */
  static String insertedIds(int uids) {
    return "SELECT uid, id FROM mailbox WHERE uid IN (" + marks(uids) + ") AND id >= ? AND send_ref = ?";
  }

  static String overCapacity(int uids) {
    return "SELECT uid, COUNT(*) FROM mailbox WHERE uid IN (" + marks(uids) + ") AND " + VISIBLE
        + " GROUP BY uid HAVING COUNT(*) > ?";
  }

  private static final String EVICTABLE = "(attachments IS NULL OR claimed_at IS NOT NULL)";

  /** The {@code perUid} oldest mails of each uid that hold no unclaimed attachments (window function). */
  static String evictionCandidates(int uids) {
    return "SELECT uid, id FROM (SELECT uid, id, ROW_NUMBER() OVER (PARTITION BY uid ORDER BY id) AS rn "
        + "FROM mailbox WHERE uid IN (" + marks(uids) + ") AND " + VISIBLE + " AND " + EVICTABLE
        + ") oldest WHERE rn <= ? ORDER BY uid, rn";
  }

  static String evict(int ids) {
    return "UPDATE mailbox SET deleted_at = ? WHERE id IN (" + marks(ids) + ") AND " + VISIBLE + " AND " + EVICTABLE;
  }

  // The outbox of grants.
  static String insertOutbox(int rows) {
    return "INSERT INTO mail_outbox (uid, mail_id, attachments, reason, created_at, attempts, next_attempt_at, "
        + "lease_token) VALUES " + rows(rows, 8);
  }

  static final String OUTBOX_LEASE = "UPDATE mail_outbox SET next_attempt_at = ?, lease_token = ?, "
      + "attempts = attempts + 1 WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?";
  static final String OUTBOX_LEASED = "SELECT uid, mail_id, attachments, reason, attempts FROM mail_outbox "
      + "WHERE delivered_at IS NULL AND next_attempt_at = ? AND lease_token = ?";
  static final String OUTBOX_DELIVERED = "UPDATE mail_outbox SET delivered_at = ? WHERE uid = ? AND mail_id = ? "
      + "AND delivered_at IS NULL";
  static final String OUTBOX_RETRY = "UPDATE mail_outbox SET next_attempt_at = ? WHERE uid = ? AND mail_id = ? "
      + "AND lease_token = ? AND delivered_at IS NULL";
  static final String OUTBOX_BACKLOG = "SELECT COUNT(*) FROM mail_outbox WHERE delivered_at IS NULL";

  // Idempotency keys of producers.
  static final String IDEMPOTENCY_GET = "SELECT request_hash, result FROM mail_idempotency WHERE idem_key = ?";
  static final String IDEMPOTENCY_PUT = "INSERT INTO mail_idempotency (idem_key, request_hash, result, created_at) "
      + "VALUES (?, ?, ?, ?)";

  // Expiry and purge (scheduler jobs).
  static final String EXPIRED = "SELECT uid, id, attachments, claimed_at FROM mailbox "
      + "WHERE deleted_at IS NULL AND expires_at <= ? ORDER BY expires_at LIMIT ?";

  static String expiredUnclaimedForUpdate(int ids) {
    return "SELECT uid, id, attachments FROM mailbox WHERE id IN (" + marks(ids) + ") AND deleted_at IS NULL "
        + "AND claimed_at IS NULL AND attachments IS NOT NULL FOR UPDATE";
  }

  static String claimExpired(int ids) {
    return "UPDATE mailbox SET claimed_at = ? WHERE id IN (" + marks(ids) + ") AND claimed_at IS NULL";
  }

  static String markExpired(int ids) {
    return "UPDATE mailbox SET deleted_at = ? WHERE id IN (" + marks(ids) + ") AND deleted_at IS NULL "
        + "AND expires_at <= ?";
  }

  static final String PURGE_MAIL = "DELETE FROM mailbox WHERE deleted_at < ? LIMIT ?";
  static final String PURGE_OUTBOX = "DELETE FROM mail_outbox WHERE delivered_at < ? LIMIT ?";
  static final String PURGE_IDEMPOTENCY = "DELETE FROM mail_idempotency WHERE created_at < ? LIMIT ?";

  // Players (V001 users), written at login.
  /**
   * Upserts {@code rows} logins at once. Claims a token leaves out keep their stored value;
   * {@code created_at} is only overwritten for rows whose token carried it.
   */
  static String userUpsert(int rows, boolean updateCreatedAt) {
    return "INSERT INTO users (uid, name, created_at, zone, level, tags, first_login_at, last_login_at) VALUES "
        + String.join(", ", java.util.Collections.nCopies(rows, "(?, ?, ?, ?, ?, ?, ?, ?)"))
        + " ON DUPLICATE KEY UPDATE name = COALESCE(VALUES(name), name), "
        + (updateCreatedAt ? "created_at = VALUES(created_at), " : "")
        + "zone = COALESCE(VALUES(zone), zone), level = COALESCE(VALUES(level), level), "
        + "tags = COALESCE(VALUES(tags), tags), last_login_at = VALUES(last_login_at)";
  }

  static final String USER_NAME = "SELECT name FROM users WHERE uid = ?";
  static final String USER_BY_NAME = "SELECT uid FROM users WHERE name = ? LIMIT 2";

  static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  private static String rows(int rows, int columns) {
    return String.join(", ", Collections.nCopies(rows, "(" + marks(columns) + ")"));
  }
}
