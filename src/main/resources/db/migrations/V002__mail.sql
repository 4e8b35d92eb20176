-- Personal mailboxes: the mail each player holds, the grants their claims make, and producers'
-- idempotency keys. Rows live on the shard of the player they concern (Db.forUid). Times are epoch
-- milliseconds.

-- One row per mail in one player's mailbox. The primary key clusters a mailbox's rows together
-- for newest-first keyset scans (uid = ? AND id < cursor ORDER BY id DESC). Rows are soft-deleted
-- (deleted_at) and hard-deleted later by the mail-purge job, so a deleted global mail is not
-- distributed again (uq_mailbox_uid_global).
CREATE TABLE IF NOT EXISTS mailbox (
  id BIGINT NOT NULL AUTO_INCREMENT,
  uid BIGINT NOT NULL,
  kind VARCHAR(16) NOT NULL,
  sender VARCHAR(64) NOT NULL,
  sender_uid BIGINT NULL,
  title VARCHAR(128) NOT NULL,
  body TEXT NOT NULL,
  attachments TEXT NULL,
  send_ref BIGINT NOT NULL DEFAULT 0,
  global_id BIGINT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  read_at BIGINT NULL,
  claimed_at BIGINT NULL,
  deleted_at BIGINT NULL,
  PRIMARY KEY (uid, id),
  KEY idx_mailbox_id (id),
  KEY idx_mailbox_expiry (deleted_at, expires_at),
  UNIQUE KEY uq_mailbox_uid_global (uid, global_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Grants waiting to be published on raven.reward.grant. Written in the same transaction as the
-- claim (keyed by the mail, so one mail can never yield two grants) and relayed until a consumer
-- acknowledges. next_attempt_at doubles as the relay's lease on the row.
CREATE TABLE IF NOT EXISTS mail_outbox (
  uid BIGINT NOT NULL,
  mail_id BIGINT NOT NULL,
  attachments TEXT NOT NULL,
  reason VARCHAR(16) NOT NULL,
  created_at BIGINT NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_token BIGINT NOT NULL DEFAULT 0,
  delivered_at BIGINT NULL,
  PRIMARY KEY (uid, mail_id),
  KEY idx_outbox_due (delivered_at, next_attempt_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Idempotency keys of producers (POST /internal/mail, raven.mail.send). A send that touches
-- several shards writes one row per shard, in the same transaction as that shard's mail.
CREATE TABLE IF NOT EXISTS mail_idempotency (
  idem_key VARCHAR(128) NOT NULL,
  request_hash CHAR(64) NOT NULL,
  result TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (idem_key),
  KEY idx_idempotency_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
