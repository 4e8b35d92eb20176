package io.ravenpost.mail.feed;

import io.ravenpost.common.SqlKeys;
import static io.ravenpost.mail.box.MailSql.marks;
import static io.ravenpost.mail.box.MailSql.rows;

import io.ravenpost.mail.box.MailSql;

/** The change feed's SQL (V010): heads, entries, the shard's epoch, and mail waiting to open. */
final class FeedSql {
  private FeedSql() {
  }

  /**
   * Moves one head by {@code ?} changes and leaves its new value in LAST_INSERT_ID, which the
   * statement's own OK packet carries: one statement for the common single-player change.
   */
  static final String BUMP_ONE = "INSERT INTO mail_feed_head (uid, seq) VALUES (?, LAST_INSERT_ID(?)) "
      + "ON DUPLICATE KEY UPDATE seq = LAST_INSERT_ID(seq + VALUES(seq))";

  /** Moves {@code n} heads (in uid order: the caller sorts) by their counts. */
  static String bump(int n) {
    return "INSERT INTO mail_feed_head (uid, seq) VALUES " + rows(n, 2) + " ON DUPLICATE KEY UPDATE seq = seq + VALUES(seq)";
  }

  static String heads(int n) {
    return "SELECT uid, seq FROM mail_feed_head WHERE uid IN (" + marks(n) + ")";
  }

  static String insert(int n) {
    return "INSERT INTO mail_feed (uid, seq, type, mail_id, at) VALUES " + rows(n, 5);
  }

  /**
   * A sync in one statement: the head, the entries after {@code since} (at most {@code limit}),
   * and for a new mail its current summary. Params: since, uid, limit. A player with no head gets
   * no row at all (nothing ever changed).
   */
  static final String SYNC = "SELECT h.seq AS head, f.seq, f.type, f.mail_id, " + MailSql.summaryColumns("m")
      + " FROM mail_feed_head h "
      + "LEFT JOIN mail_feed f ON f.uid = h.uid AND f.seq > ? "
      + "LEFT JOIN mailbox m ON f.type = 'new' AND m.uid = f.uid AND m.id = f.mail_id "
      + "WHERE h.uid = ? ORDER BY f.seq LIMIT ?";

  static final String EPOCH_MAKE = "INSERT IGNORE INTO mail_feed_epoch (id, epoch) VALUES (1, ?)";
  static final String EPOCH_RENEW = "REPLACE INTO mail_feed_epoch (id, epoch) VALUES (1, ?)";
  static final String EPOCH = "SELECT epoch FROM mail_feed_epoch WHERE id = 1";

  static final String TRIM = "DELETE FROM mail_feed WHERE at < ? LIMIT ?";

  // Mail waiting for its startsAt.
  static String opening(int n) {
    return "INSERT IGNORE INTO mail_opening (uid, mail_id, opens_at) VALUES " + rows(n, 3);
  }

  static final String DUE = "SELECT uid, mail_id FROM mail_opening WHERE opens_at <= ? ORDER BY opens_at LIMIT ?";

  /** The due rows locked, with whether their mail is still there to open. Params: keys..., now. */
  static String dueForUpdate(int n) {
    return "SELECT o.uid, o.mail_id, (m.deleted_at IS NULL) AS live FROM mail_opening o FORCE INDEX (PRIMARY) "
        + "LEFT JOIN mailbox m ON m.uid = o.uid AND m.id = o.mail_id "
        + "WHERE " + SqlKeys.pairsIn("o.uid", "o.mail_id", n) + " AND o.opens_at <= ? FOR UPDATE";
  }

  static String opened(int n) {
    return "DELETE FROM mail_opening WHERE " + SqlKeys.pairsIn("uid", "mail_id", n);
  }

  /** The summaries of mails that just opened, for their pushes. */
  static String summaries(int n) {
    return "SELECT " + MailSql.summaryColumns("") + " FROM " + MailSql.BY_KEY + " WHERE " + MailSql.keysIn(n);
  }
}
