package io.ravenpost.mail.global.store;

import io.ravenpost.common.SqlKeys;
import static io.ravenpost.mail.box.MailSql.marks;

import io.ravenpost.api.feed.ChangeType;
import io.ravenpost.mail.box.MailSql;
import java.util.Collections;

/**
 * Every SQL statement of global mail, in one place. {@code global_mail} and {@code global_mail_lock}
 * are read and written on the primary shard only; {@code global_mail_cursor}, {@code mailbox} and
 * {@code users} on the player's shard.
 */
public final class GlobalSql {
  private GlobalSql() {
  }

  private static final String COLUMNS = "id, target_type, segment, sender, title, body, attachments, starts_at, "
      + "expires_at, created_at, text_id";

  // Creating, retracting and listing (primary).
  /** Serializes creators, so ids become visible in id order; the repair job takes it to rebuild the ZSET. */
  public static final String LOCK_CREATE = "SELECT name FROM global_mail_lock WHERE name = 'create' FOR UPDATE";
  public static final String INSERT = "INSERT INTO global_mail (target_type, segment, sender, title, body, attachments, "
      + "starts_at, expires_at, created_at, sending_node, sent_at, mail_ids, text_id) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  /**
   * Reserves one mailbox id on a shard for the copies of an online send (a row no player owns,
   * removed at once): every player's copy on that shard gets this id, known before it is written.
   */
  public static final String RESERVE_ID = "INSERT INTO mailbox (uid, kind, sender, title, body, created_at, expires_at, "
      + "deleted_at) VALUES (0, 'reserved', 'system', '', '', ?, ?, ?)";
  public static final String MAIL_IDS = "SELECT mail_ids, deleted_at FROM global_mail WHERE id = ?";
  public static final String RETRACT = "UPDATE global_mail SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL";
  public static final String STATE = "SELECT deleted_at, withdrawn_at, target_type FROM global_mail WHERE id = ?";
  public static final String WITHDRAWN = "UPDATE global_mail SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL";
  public static final String PAGE = "SELECT " + COLUMNS + ", deleted_at, withdrawn_at, sent_at FROM global_mail WHERE id < ? "
      + "ORDER BY id DESC LIMIT ?";

  static String byIds(int n) {
    return "SELECT " + COLUMNS + ", deleted_at FROM global_mail WHERE id IN (" + marks(n) + ")";
  }

  public static String byIdsForShare(int n) {
    return byIds(n) + " LOCK IN SHARE MODE";
  }

  /**
   * The distribution guard: which of these ids are not retracted, with a shared lock held until the
   * distribution's transaction ends. A retraction's update waits for it, and a distribution that
   * starts after a retraction committed sees {@code deleted_at}: no copy is ever inserted after the
   * DELETE returned.
   */
  public static String liveForShare(int n) {
    return "SELECT id FROM global_mail WHERE id IN (" + marks(n) + ") AND deleted_at IS NULL LOCK IN SHARE MODE";
  }

  /** What the cursor may pass: the committed lazily distributed ids of a range (expiry is the target rules'). */
  public static final String LAZY_IDS_BETWEEN = "SELECT id FROM global_mail WHERE id > ? AND id <= ? AND deleted_at IS NULL "
      + "AND target_type <> 'online' ORDER BY id";

  /** The id list from MySQL when the ZSET is not known to be complete (same order and bound as the ZSET read). */
  static final String LAZY_IDS_AFTER = "SELECT id FROM global_mail WHERE id > ? AND deleted_at IS NULL "
      + "AND expires_at > ? AND target_type <> 'online' ORDER BY id LIMIT ?";

  // Finishing online sends (primary): a walk is owned by one node at a time, taken by compare-and-set.
  public static final String UNSENT_ONLINE = "SELECT id, sending_node FROM global_mail WHERE sent_at IS NULL "
      + "AND deleted_at IS NULL AND expires_at > ? AND target_type = 'online' ORDER BY id LIMIT ?";
  public static final String TAKE_SEND = "UPDATE global_mail SET sending_node = ? WHERE id = ? AND sent_at IS NULL "
      + "AND sending_node <=> ?";
  public static final String MARK_SENT = "UPDATE global_mail SET sent_at = ? WHERE id = ? AND sent_at IS NULL";
  public static final String DROP_SEND = "UPDATE global_mail SET sending_node = NULL WHERE id = ? AND sent_at IS NULL "
      + "AND sending_node = ?";

  // The repair job (primary).
  public static final String SCAN = "SELECT id, target_type, expires_at, deleted_at, withdrawn_at FROM global_mail "
      + "WHERE id > ? ORDER BY id LIMIT ?";
  /** Every live lazily distributed id, read under the create lock (locking read: latest committed rows). */
  public static final String ALL_LAZY_LIVE = "SELECT id FROM global_mail WHERE deleted_at IS NULL AND expires_at > ? "
      + "AND target_type <> 'online' LOCK IN SHARE MODE";

  // Per player (the player's shard).
  public static String cursors(int n) {
    return "SELECT uid, last_id FROM global_mail_cursor WHERE uid IN (" + marks(n) + ")";
  }

  /** Creates missing cursor rows (at 0) and locks every row of the batch, in uid order. */
  public static String lockCursors(int n) {
    return "INSERT INTO global_mail_cursor (uid, last_id, updated_at) VALUES " + rows(n, 3)
        + " ON DUPLICATE KEY UPDATE updated_at = updated_at";
  }

  public static String cursorsForUpdate(int n) {
    return "SELECT uid, last_id FROM global_mail_cursor WHERE uid IN (" + marks(n) + ") FOR UPDATE";
  }

  public static String advanceCursors(int n) {
    return "INSERT INTO global_mail_cursor (uid, last_id, updated_at) VALUES " + rows(n, 3)
        + " ON DUPLICATE KEY UPDATE last_id = GREATEST(last_id, VALUES(last_id)), updated_at = VALUES(updated_at)";
  }

  public static String players(int n) {
    return "SELECT uid, created_at, zone, level, tags FROM users WHERE uid IN (" + marks(n) + ")";
  }

  /**
   * Copies. A plain multi-row INSERT is a "simple insert" to InnoDB: ids come from a short mutex,
   * while {@code ON DUPLICATE KEY UPDATE} holds the table's AUTO-INC lock to the statement's end
   * (innodb_autoinc_lock_mode 1, the default), which lined every worker's copies up behind one another.
   */
  public static String insertCopies(int rows) {
    return "INSERT INTO mailbox (uid, kind, sender, title, body, attachments, global_id, created_at, expires_at, "
        + "text_id) VALUES " + rows(rows, 10);
  }

  /**
   * The same, where a copy that is already there (uid, global_id unique) is left as it is; answers
   * the rows it did insert, so only those get feed entries and move counts (IGNORE also turns other
   * errors into warnings, but every value here comes from a stored global mail).
   */
  public static String insertMissingCopies(int rows) {
    return "INSERT IGNORE INTO mailbox (uid, kind, sender, title, body, attachments, global_id, created_at, "
        + "expires_at, text_id) VALUES " + rows(rows, 10) + " RETURNING uid, global_id";
  }

  /**
   * Copies of an online send, each with the id reserved on its shard; a copy already there (the
   * background writer and a player's early read both write it) stays as it is, and only the uids
   * of the rows inserted are answered.
   */
  public static String insertCopiesWithId(int rows) {
    return "INSERT IGNORE INTO mailbox (id, uid, kind, sender, title, body, attachments, global_id, created_at, "
        + "expires_at, text_id) VALUES " + rows(rows, 11) + " RETURNING uid";
  }

  // The recipients of online sends, recorded by each gate node before it tells them.
  public static final String RECORD_RECIPIENTS = "INSERT IGNORE INTO global_online_recipients (global_id, gate_node, uids, "
      + "players, recorded_at, owner) VALUES (?, ?, ?, ?, ?, ?)";
  public static final String RECIPIENTS = "SELECT uids FROM global_online_recipients WHERE global_id = ? AND gate_node = ?";
  public static final String OPEN_RECIPIENTS = "SELECT global_id, gate_node, owner, recorded_at FROM global_online_recipients "
      + "WHERE done_at IS NULL ORDER BY recorded_at LIMIT ?";
  public static final String TAKE_RECIPIENTS = "UPDATE global_online_recipients SET owner = ? WHERE global_id = ? "
      + "AND gate_node = ? AND done_at IS NULL AND owner <=> ?";
  public static final String RECIPIENTS_DONE = "UPDATE global_online_recipients SET done_at = ? WHERE global_id = ? "
      + "AND gate_node = ? AND done_at IS NULL";

  public static String copyIds(int uids, int globalIds) {
    return "SELECT id, uid, global_id FROM mailbox WHERE uid IN (" + marks(uids) + ") AND global_id IN ("
        + marks(globalIds) + ")";
  }

  // Retraction and counts over copies (every shard, idx_mailbox_global).
  public static final String WITHDRAWABLE = "SELECT uid FROM mailbox WHERE global_id = ? AND claimed_at IS NULL "
      + "AND deleted_at IS NULL AND created_at > ? LIMIT ?";

  /**
   * The copies a retraction withdraws among {@code uids}, locked through their (uid, global_id) keys
   * only, not every copy of the mail. Params: (uid, global id)..., visibleAfter.
   */
  public static String withdrawableForUpdate(int uids) {
    return "SELECT uid, id FROM mailbox FORCE INDEX (uq_mailbox_uid_global) WHERE "
        + SqlKeys.pairsIn("uid", "global_id", uids) + " AND claimed_at IS NULL AND deleted_at IS NULL AND created_at > ? FOR UPDATE";
  }

  public static String withdraw(int copies) {
    return "UPDATE " + MailSql.BY_KEY + " SET deleted_at = ? WHERE " + MailSql.keysIn(copies);
  }

  public static String deliveryCounts(int ids) {
    return "SELECT global_id, COUNT(*), SUM(claimed_at IS NOT NULL), SUM(deleted_at IS NOT NULL) FROM mailbox "
        + "WHERE global_id IN (" + marks(ids) + ") GROUP BY global_id";
  }

  /**
   * A global mail's copies by the minute on one shard, as {@code (what, minute, count)}: delivered
   * (the copy's first {@code new} change in the feed: when it reached the mailbox, which its own
   * {@code created_at}, the mail's start, does not say; counted once per copy), opened ({@code read_at}) and claimed
   * ({@code claimed_at}). Each part walks the copies by {@code idx_mailbox_global}. Params: the
   * global id, three times.
   */
  public static final String TIMELINE = "SELECT 'delivered', FLOOR(d.at / 60000), COUNT(*) FROM (SELECT MIN(f.at) AS at "
      + "FROM mailbox m FORCE INDEX (idx_mailbox_global) JOIN mail_feed f ON f.uid = m.uid AND f.mail_id = m.id "
      + "AND f.type = '" + ChangeType.NEW.wire() + "' WHERE m.global_id = ? GROUP BY m.uid, m.id) d GROUP BY 2 "
      + "UNION ALL SELECT 'opened', FLOOR(read_at / 60000), COUNT(*) FROM mailbox FORCE INDEX (idx_mailbox_global) "
      + "WHERE global_id = ? AND read_at IS NOT NULL GROUP BY 2 "
      + "UNION ALL SELECT 'claimed', FLOOR(claimed_at / 60000), COUNT(*) FROM mailbox FORCE INDEX (idx_mailbox_global) "
      + "WHERE global_id = ? AND claimed_at IS NOT NULL GROUP BY 2";

  // Previews (every shard).
  public static final String COUNT_USERS = "SELECT COUNT(*) FROM users";
  public static final String COUNT_USERS_BEFORE = "SELECT COUNT(*) FROM users WHERE created_at <= ?";

  public static String countUsersWhere(String where) {
    return "SELECT COUNT(*) FROM users WHERE " + where;
  }

  private static String rows(int rows, int columns) {
    return String.join(", ", Collections.nCopies(rows, "(" + marks(columns) + ")"));
  }
}
