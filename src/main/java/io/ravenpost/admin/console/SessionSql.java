package io.ravenpost.admin.console;

/** The console sessions' SQL ({@code operator_sessions}, primary shard). */
final class SessionSql {
  private SessionSql() {
  }

  static final String INSERT = "INSERT INTO operator_sessions (token_hash, operator, csrf_token, created_at, "
      + "expires_at) VALUES (?, ?, ?, ?, ?)";
  /** The role comes from the operator's row, so a role change or a removal applies at the next request. */
  static final String GET = "SELECT s.operator, s.csrf_token, s.expires_at, o.role FROM operator_sessions s "
      + "JOIN operators o ON o.name = s.operator WHERE s.token_hash = ? AND s.expires_at > ?";
  static final String DELETE = "DELETE FROM operator_sessions WHERE token_hash = ?";
  static final String EXPIRED = "DELETE FROM operator_sessions WHERE expires_at <= ? LIMIT 1000";
}
