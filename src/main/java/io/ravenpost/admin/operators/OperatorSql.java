package io.ravenpost.admin.operators;

/** Every SQL statement on operators and their console sessions (primary shard). */
final class OperatorSql {
  private OperatorSql() {
  }

  static final String INSERT = "INSERT INTO operators (name, password_hash, role, created_at, updated_at) "
      + "VALUES (?, ?, ?, ?, ?)";
  static final String LIST = "SELECT name, role, created_at, updated_at FROM operators ORDER BY name";
  static final String GET = "SELECT name, role, password_hash FROM operators WHERE name = ?";
  static final String SET_ROLE = "UPDATE operators SET role = ?, updated_at = ? WHERE name = ?";
  static final String SET_PASSWORD = "UPDATE operators SET password_hash = ?, updated_at = ? WHERE name = ?";
  static final String DELETE = "DELETE FROM operators WHERE name = ?";

  /** An operator's console sessions, ended when it is removed or its password reset. */
  static final String SESSIONS_OF = "DELETE FROM operator_sessions WHERE operator = ?";
}
