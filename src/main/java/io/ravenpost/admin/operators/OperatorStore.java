package io.ravenpost.admin.operators;

import io.ravenpost.api.AuditContext;
import io.ravenpost.api.ErrorCode;
import io.ravenpost.audit.AuditLog;
import io.ravenpost.common.Db;
import io.ravenpost.common.Errors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Operators' accounts (primary shard). Every change writes its audit row in its own transaction;
 * a generated password is returned once and only its Argon2id hash is kept.
 */
public final class OperatorStore {
  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** An operator who signed in: name and current role. */
  public record Operator(String name, Role role) {
  }

  private final Vertx vertx;
  private final Db db;

  public OperatorStore(Vertx vertx, Db db) {
    this.vertx = vertx;
    this.db = db;
  }

  public static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw ErrorCode.BAD_REQUEST.error("name must be 1..64 of a-z 0-9 . _ - (starting with a letter or digit)");
    }
    return name;
  }

  /** Creates the operator; answers {@code {name, role, password}} with a generated password, shown once. */
  public Future<JsonObject> add(String name, Role role, AuditContext who) {
    checkName(name);
    String password = Passwords.generate();
    long now = System.currentTimeMillis();
    return Passwords.hash(vertx, password)
        .compose(hash -> db.tx(db.primary(), conn -> conn.preparedQuery(OperatorSql.INSERT)
            .execute(Tuple.of(name, hash, role.wire(), now, now))
            .compose(r -> AuditLog.record(conn, who, AuditContext.OPERATOR_ADD, "operator " + name + " as " + role.wire(),
                AuditLog.OK))))
        .recover(t -> Future.failedFuture(Errors.isDuplicateKey(t)
            ? ErrorCode.BAD_REQUEST.error("operator " + name + " exists") : t))
        .map(v -> new JsonObject().put("name", name).put("role", role.wire()).put("password", password));
  }

  public Future<JsonObject> list() {
    return db.read(() -> db.primary().query(OperatorSql.LIST).execute()).map(rows -> {
      JsonArray out = new JsonArray();
      for (Row r : rows) {
        out.add(new JsonObject().put("name", r.getString("name")).put("role", r.getString("role"))
            .put("createdAt", r.getLong("created_at")).put("updatedAt", r.getLong("updated_at")));
      }
      return new JsonObject().put("operators", out);
    });
  }

  public Future<JsonObject> setRole(String name, Role role, AuditContext who) {
    return change(name, who, AuditContext.OPERATOR_ROLE, "operator " + name + " now " + role.wire(),
        conn -> conn.preparedQuery(OperatorSql.SET_ROLE).execute(Tuple.of(role.wire(), System.currentTimeMillis(), name)))
        .map(v -> new JsonObject().put("name", name).put("role", role.wire()));
  }

  /** A new generated password (shown once); the operator's console sessions end. */
  public Future<JsonObject> resetPassword(String name, AuditContext who) {
    String password = Passwords.generate();
    return Passwords.hash(vertx, password)
        .compose(hash -> change(name, who, AuditContext.OPERATOR_PASSWORD, "operator " + name + " new password",
            conn -> conn.preparedQuery(OperatorSql.SET_PASSWORD).execute(Tuple.of(hash, System.currentTimeMillis(), name))
                .compose(r -> conn.preparedQuery(OperatorSql.SESSIONS_OF).execute(Tuple.of(name)).map(x -> r))))
        .map(v -> new JsonObject().put("name", name).put("password", password));
  }

  /** Removes the operator and ends its console sessions. */
  public Future<Void> remove(String name, AuditContext who) {
    return change(name, who, AuditContext.OPERATOR_REMOVE, "operator " + name,
        conn -> conn.preparedQuery(OperatorSql.DELETE).execute(Tuple.of(name))
            .compose(r -> conn.preparedQuery(OperatorSql.SESSIONS_OF).execute(Tuple.of(name)).map(x -> r)));
  }

  /**
   * A name as the database compares it: MariaDB's collation ignores case and trailing spaces, so
   * {@code "Alice "} finds {@code alice}. Sign-in limits are counted on this form, or every spelling
   * of a locked name would be a fresh one.
   */
  public static String fold(String name) {
    return name.toLowerCase(Locale.ROOT).stripTrailing();
  }

  /**
   * The operator whose password this is (with the name as stored), or AUTH_INVALID: the same answer
   * and time for an unknown name. A name no operator can have is not looked up at all, so the
   * database's looser comparisons (accents) cannot match it to another account.
   */
  public Future<Operator> verify(String given, String password) {
    String name = fold(given);
    Future<RowSet<Row>> rows = NAME.matcher(name).matches()
        ? db.read(() -> db.primary().preparedQuery(OperatorSql.GET).execute(Tuple.of(name)))
        : Future.succeededFuture(null);
    return rows.compose(found -> {
      Row r = found == null || found.size() == 0 ? null : found.iterator().next();
      return Passwords.verify(vertx, r == null ? null : r.getString("password_hash"), password)
          .compose(ok -> ok ? Future.succeededFuture(new Operator(r.getString("name"), Role.parse(r.getString("role"))))
              : Future.failedFuture(ErrorCode.AUTH_INVALID.error("wrong name or password")));
    });
  }

  /** One statement (or more) on an existing operator, with its audit row, in one transaction. */
  private Future<Void> change(String name, AuditContext who, String action, String target,
                              Function<SqlConnection, Future<RowSet<Row>>> work) {
    checkName(name);
    return db.tx(db.primary(), conn -> work.apply(conn).compose(r -> r.rowCount() == 0
        ? Future.<Void>failedFuture(ErrorCode.NOT_FOUND.error("no operator " + name))
        : AuditLog.record(conn, who, action, target, AuditLog.OK)));
  }
}
