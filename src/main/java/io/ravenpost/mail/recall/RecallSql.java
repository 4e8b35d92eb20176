package io.ravenpost.mail.recall;

import static io.ravenpost.mail.box.MailSql.BY_KEY;
import static io.ravenpost.mail.box.MailSql.keysIn;

import io.ravenpost.api.feed.ChangeType;
import io.ravenpost.mail.box.MailSql;

/** The SQL of recalls: one mail by its key, or a send's mails by {@code send_id} (V011), shard by shard. */
final class RecallSql {
  private RecallSql() {
  }

  /** The mail locked: a claim waits for the recall, or the recall for the claim; never both. */
  static final String LOCK_ONE = "SELECT claimed_at, deleted_at FROM " + BY_KEY + " WHERE uid = ? AND id = ? FOR UPDATE";
  static final String RECALL_ONE = "UPDATE " + BY_KEY + " SET deleted_at = ? WHERE uid = ? AND id = ?";

  /** A batch of a send's mails still there and unclaimed, locked. Params: sendId, limit. */
  static final String SEND_BATCH = "SELECT uid, id FROM mailbox WHERE send_id = ? AND claimed_at IS NULL "
      + "AND deleted_at IS NULL LIMIT ? FOR UPDATE";

  static String recall(int mails) {
    return "UPDATE " + MailSql.BY_KEY + " SET deleted_at = ? WHERE " + keysIn(mails);
  }

  /**
   * A page of a send's mails on a shard, by (uid, id), for operators to look at before or after a
   * recall. {@code recalled} is read from the change feed, the only place that tells a recall from
   * an expiry or a player's delete. Params: sendId, limit.
   */
  static final String SEND_MAILS = "SELECT m.uid, m.id, m.title, m.created_at, m.read_at, m.claimed_at, m.deleted_at, "
      + "(m.attachments IS NOT NULL) AS has_attachments, EXISTS (SELECT 1 FROM mail_feed f WHERE f.uid = m.uid "
      + "AND f.mail_id = m.id AND f.type = '" + ChangeType.RECALLED.wire() + "') AS recalled FROM mailbox m "
      + "WHERE m.send_id = ? ORDER BY m.uid, m.id LIMIT ?";

  /** A send's mails on a shard, and how many of them were claimed. */
  static final String SEND_COUNTS = "SELECT COUNT(*), COALESCE(SUM(claimed_at IS NOT NULL), 0) FROM mailbox WHERE send_id = ?";
}
