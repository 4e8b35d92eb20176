-- Console operators, their sign-in sessions, and the audit trail of every write. Times are epoch
-- milliseconds.

-- Operator accounts of the console: an Argon2id hash of the password (never the password) and a
-- role: viewer (reads), operator (sends, retracts, kicks), admin (everything, including operators).
-- Read and written on the primary shard only.
CREATE TABLE IF NOT EXISTS operators (
  name VARCHAR(64) NOT NULL,
  password_hash VARCHAR(255) NOT NULL,
  role VARCHAR(16) NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Console sign-ins. The cookie carries a random token; only its SHA-256 is stored, so a read of
-- this table does not give anyone a session. Deleting the operator ends its sessions (the lookup
-- joins operators, and reads the role from there, so a role change applies at the next request).
CREATE TABLE IF NOT EXISTS operator_sessions (
  token_hash CHAR(64) NOT NULL,
  operator VARCHAR(64) NOT NULL,
  csrf_token CHAR(64) NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  PRIMARY KEY (token_hash),
  KEY idx_operator_sessions_operator (operator),
  KEY idx_operator_sessions_expiry (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Every write through /admin and /internal: who, what, when, the request id and the result.
-- A write that has a transaction writes its row in that transaction, on the shard it writes to
-- (a send to players on two shards leaves one row per shard); refused and failed writes are
-- written on the primary. GET /admin/audit merges the shards, newest first.
CREATE TABLE IF NOT EXISTS audit_log (
  id BIGINT NOT NULL AUTO_INCREMENT,
  at BIGINT NOT NULL,
  actor VARCHAR(96) NOT NULL,
  action VARCHAR(64) NOT NULL,
  route VARCHAR(160) NOT NULL,
  target VARCHAR(512) NOT NULL,
  request_id VARCHAR(64) NOT NULL,
  result VARCHAR(64) NOT NULL,
  PRIMARY KEY (id),
  KEY idx_audit_at (at, id),
  KEY idx_audit_actor (actor, at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
