package io.ravenpost.mail.text;

/**
 * The SQL of mail texts and templates ({@code V014__mail_texts.sql}): both tables live on the
 * primary shard; the reader's name and language are read from {@code users} on the reader's shard.
 */
final class TextSql {
  private TextSql() {
  }

  static final String INSERT_TEXT = "INSERT INTO mail_texts (content, created_at) VALUES (?, ?)";
  static final String TEXT = "SELECT content FROM mail_texts WHERE id = ?";

  static final String LOCK_TEMPLATE = "SELECT MAX(version) FROM mail_templates WHERE id = ? FOR UPDATE";
  static final String INSERT_TEMPLATE = "INSERT INTO mail_templates (id, version, texts, created_by, created_at) "
      + "VALUES (?, ?, ?, ?, ?)";
  static final String TEMPLATE_VERSION = "SELECT id, version, texts, created_by, created_at FROM mail_templates "
      + "WHERE id = ? AND version = ?";
  static final String TEMPLATE_VERSIONS = "SELECT id, version, texts, created_by, created_at FROM mail_templates "
      + "WHERE id = ? ORDER BY version DESC LIMIT ?";
  static final String LATEST_TEMPLATES = "SELECT t.id, t.version, t.texts, t.created_by, t.created_at "
      + "FROM mail_templates t JOIN (SELECT id, MAX(version) AS version FROM mail_templates GROUP BY id) m "
      + "ON t.id = m.id AND t.version = m.version ORDER BY t.id LIMIT ?";

  static final String READER = "SELECT name, locale FROM users WHERE uid = ?";
}
