package io.ravenpost.mail.box;

import io.ravenpost.common.SqlKeys;
import java.util.Collections;

/**
 * The mailbox's SQL: reads and changes of one player's mail, the players table, and the pieces the
 * other mail packages build their statements from. Every statement runs on the shard of the uid it
 * touches ({@code Db.forUid}); none joins across shards. {@code VISIBLE} takes two parameters,
 * both "now": a mail is visible while not deleted, not expired and already created.
 */
public final class MailSql {
  private MailSql() {
  }

  public static final String VISIBLE = "deleted_at IS NULL AND expires_at > ? AND created_at <= ?";
  private static final String SUMMARY = summaryColumns("");

  /** The columns {@link Mail#summaryOf} reads, of table alias {@code t} (empty: no alias). */
  public static String summaryColumns(String t) {
    String p = t.isEmpty() ? "" : t + ".";
    return p + "id, " + p + "uid, " + p + "kind, " + p + "sender, " + p + "sender_uid, " + p + "title, "
        + "(" + p + "attachments IS NOT NULL) AS has_attachments, " + p + "created_at, " + p + "expires_at, "
        + p + "read_at, " + p + "claimed_at, " + p + "text_id";
  }
  private static final String FULL = "id, uid, kind, sender, sender_uid, title, body, attachments, "
      + "created_at, expires_at, read_at, claimed_at, deleted_at, text_id";

  /**
   * One player's rows are reached through the primary key (uid, id) only. Left alone, MariaDB
   * plans these single-row updates on idx_mailbox_id, locking the secondary record before the
   * row while a claim locks the row first: two orders, and InnoDB deadlocks under races.
   */
  public static final String BY_KEY = "mailbox FORCE INDEX (PRIMARY)";

  // Reads of one mailbox.
  static final String PAGE = "SELECT " + SUMMARY + " FROM mailbox WHERE uid = ? AND id < ? AND " + VISIBLE
      + " ORDER BY id DESC LIMIT ?";
  static final String FULL_PAGE = "SELECT " + FULL + " FROM mailbox WHERE uid = ? AND id < ? AND " + VISIBLE
      + " ORDER BY id DESC LIMIT ?";
  static final String GET = "SELECT " + FULL + " FROM " + BY_KEY + " WHERE uid = ? AND id = ?";
  static final String MAX_ID = "SELECT MAX(id) FROM mailbox WHERE uid = ?";
  static final String UNREAD = "SELECT COUNT(*) FROM mailbox WHERE uid = ? AND read_at IS NULL AND " + VISIBLE;

  /**
   * The unread count and when it next changes by itself: the first hidden mail that becomes
   * visible ({@code startsAt}), the first unread one that expires. Params: now x5, uid.
   */
  static final String UNREAD_STATE = "SELECT "
      + "SUM(read_at IS NULL AND deleted_at IS NULL AND expires_at > ? AND created_at <= ?), "
      + "MIN(CASE WHEN deleted_at IS NULL AND created_at > ? THEN created_at END), "
      + "MIN(CASE WHEN read_at IS NULL AND deleted_at IS NULL AND created_at <= ? AND expires_at > ? THEN expires_at END) "
      + "FROM " + BY_KEY + " WHERE uid = ?";

  static String unreadMany(int uids) {
    return "SELECT uid, COUNT(*) FROM mailbox WHERE uid IN (" + marks(uids) + ") AND read_at IS NULL AND "
        + VISIBLE + " GROUP BY uid";
  }

  // Changes to one mail.
  public static final String MARK_READ = "UPDATE " + BY_KEY + " SET read_at = ? WHERE uid = ? AND id = ? AND read_at IS NULL";
  public static final String DELETE = "UPDATE " + BY_KEY + " SET deleted_at = ? WHERE uid = ? AND id = ? AND " + VISIBLE
      + " AND (attachments IS NULL OR claimed_at IS NOT NULL)";
  // Players (V001 users), written at login.
  /**
   * Upserts {@code rows} logins at once. Claims a token leaves out keep their stored value;
   * {@code created_at} is only overwritten for rows whose token carried it; {@code locale} is always
   * the new session's (none means the mail's default).
   */
  static String userUpsert(int rows, boolean updateCreatedAt) {
    return "INSERT INTO users (uid, name, created_at, zone, level, tags, first_login_at, last_login_at, locale) VALUES "
        + String.join(", ", java.util.Collections.nCopies(rows, "(?, ?, ?, ?, ?, ?, ?, ?, ?)"))
        + " ON DUPLICATE KEY UPDATE name = COALESCE(VALUES(name), name), "
        + (updateCreatedAt ? "created_at = VALUES(created_at), " : "")
        + "zone = COALESCE(VALUES(zone), zone), level = COALESCE(VALUES(level), level), "
        + "tags = COALESCE(VALUES(tags), tags), last_login_at = VALUES(last_login_at), locale = VALUES(locale)";
  }

  static final String USER_NAME = "SELECT name FROM users WHERE uid = ?";
  static final String USER_BY_NAME = "SELECT uid FROM users WHERE name = ? LIMIT 2";

  /**
   * {@code (uid, id) IN (...)} for {@code n} mails: a mail is addressed by its key, never by its id
   * alone (the copies of one {@code online} global mail share an id on a shard, one per player).
   */
  public static String keysIn(int n) {
    return SqlKeys.pairsIn("uid", "id", n);
  }

  public static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  public static String rows(int rows, int columns) {
    return String.join(", ", Collections.nCopies(rows, "(" + marks(columns) + ")"));
  }
}
