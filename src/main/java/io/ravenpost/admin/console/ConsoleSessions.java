package io.ravenpost.admin.console;

import io.ravenpost.admin.operators.OperatorStore.Operator;
import io.ravenpost.admin.operators.Role;
import io.ravenpost.common.Db;
import io.ravenpost.common.Hashing;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Console sign-ins, in MySQL so that any node's admin port knows them and a Redis flush signs
 * nobody out. The cookie holds a random token; the table holds its SHA-256 and a CSRF token that
 * the page must echo in {@code X-CSRF-Token} on every write.
 */
public final class ConsoleSessions {
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A live session: who, with which role now, and the CSRF token its writes must carry. */
  public record Session(String operator, Role role, String csrfToken, long expiresAt) {
    /** Whether a write carries this session's CSRF token (compared in constant time). */
    public boolean csrfMatches(String given) {
      return Hashing.sameSecret(csrfToken, given);
    }

    public JsonObject toJson() {
      return new JsonObject().put("name", operator).put("role", role.wire()).put("csrfToken", csrfToken)
          .put("expiresAt", expiresAt);
    }
  }

  /** A new session's cookie value and what it grants. */
  public record Created(String token, Session session) {
  }

  private final Db db;
  private final long ttlMs;

  public ConsoleSessions(Db db, long ttlSeconds) {
    this.db = db;
    this.ttlMs = ttlSeconds * 1000;
  }

  public Future<Created> create(Operator op) {
    byte[] raw = new byte[32];
    RANDOM.nextBytes(raw);
    String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    byte[] csrf = new byte[32];
    RANDOM.nextBytes(csrf);
    long now = System.currentTimeMillis();
    Session s = new Session(op.name(), op.role(), HexFormat.of().formatHex(csrf), now + ttlMs);
    // Sign-ins are rare: each one also clears a batch of expired sessions.
    return db.primary().preparedQuery(SessionSql.EXPIRED).execute(Tuple.of(now))
        .compose(v -> db.primary().preparedQuery(SessionSql.INSERT)
            .execute(Tuple.of(hash(token), op.name(), s.csrfToken(), now, s.expiresAt())))
        .map(v -> new Created(token, s));
  }

  /** The live session of this cookie value, or null. */
  public Future<Session> lookup(String token) {
    if (token == null || token.isEmpty() || token.length() > 100) {
      return Future.succeededFuture(null);
    }
    return db.read(() -> db.primary().preparedQuery(SessionSql.GET)
        .execute(Tuple.of(hash(token), System.currentTimeMillis()))).map(rows -> {
          if (rows.size() == 0) {
            return null;
          }
          Row r = rows.iterator().next();
          return new Session(r.getString("operator"), Role.parse(r.getString("role")), r.getString("csrf_token"),
              r.getLong("expires_at"));
        });
  }

  public Future<Void> delete(String token) {
    return db.primary().preparedQuery(SessionSql.DELETE).execute(Tuple.of(hash(token))).mapEmpty();
  }

  private static String hash(String token) {
    return Hashing.sha256Hex(token);
  }
}
