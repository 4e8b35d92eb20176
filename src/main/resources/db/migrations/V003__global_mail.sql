-- Server-wide (global) mail: one row per mail however many players receive it, copied into each
-- player's mailbox when they next log in or read their mail. Times are epoch milliseconds.

-- One row per global mail, on the primary shard (Db.primary). The Redis cache (body string and id
-- ZSET) is rebuilt from here by the global-repair job. target_type: all, all_to_date, online,
-- segment; segment holds the filter as JSON. starts_at is when copies become visible,
-- created_at when it was sent (all_to_date compares players' creation time with it).
-- withdrawn_at is set once a retraction has finished withdrawing delivered copies.
CREATE TABLE IF NOT EXISTS global_mail (
  id BIGINT NOT NULL AUTO_INCREMENT,
  target_type VARCHAR(16) NOT NULL,
  segment VARCHAR(2048) NULL,
  sender VARCHAR(64) NOT NULL,
  title VARCHAR(128) NOT NULL,
  body TEXT NOT NULL,
  attachments TEXT NULL,
  starts_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  deleted_at BIGINT NULL,
  withdrawn_at BIGINT NULL,
  PRIMARY KEY (id),
  KEY idx_global_mail_live (deleted_at, expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One row ('create') that creation locks, so global mail ids become visible in id order (a reader
-- never sees id N+1 without id N) and the repair job can rebuild the id ZSET while nothing is
-- being created.
CREATE TABLE IF NOT EXISTS global_mail_lock (
  name VARCHAR(32) NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

INSERT IGNORE INTO global_mail_lock (name) VALUES ('create');

-- The distribution cursor: per player, the largest global mail id already considered for them.
-- Lives on the player's shard and advances in the same transaction as the mailbox copies.
CREATE TABLE IF NOT EXISTS global_mail_cursor (
  uid BIGINT NOT NULL,
  last_id BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (uid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Copies of one global mail across mailboxes: delivery counts and retraction read this index only.
ALTER TABLE mailbox ADD INDEX IF NOT EXISTS idx_mailbox_global (global_id, claimed_at, deleted_at);
