-- The change feed of each mailbox (PROTOCOL.md "Change feed"). Every change to a player's mail is
-- numbered by that player's next seq in the same transaction as the change, so the feed has no
-- gap and no change goes without its entry. Rows live on the player's shard, like the mailbox.

-- The last seq given to each player. Bumped by the number of changes a transaction makes, always
-- at its end and in uid order, so two transactions never wait on each other's heads in a cycle.
CREATE TABLE IF NOT EXISTS mail_feed_head (
  uid BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  PRIMARY KEY (uid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One row per change: type is new, read, claimed, deleted, expired, recalled or retracted. The
-- summary of a new mail is read from the mailbox when the change is fetched. Kept at least
-- mail.feedDays, then trimmed by age (idx_mail_feed_at).
CREATE TABLE IF NOT EXISTS mail_feed (
  uid BIGINT NOT NULL,
  seq BIGINT NOT NULL,
  type VARCHAR(16) NOT NULL,
  mail_id BIGINT NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (uid, seq),
  KEY idx_mail_feed_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The feed's epoch on this shard: a random string made when the table is first used, and made
-- again by an operator (ravenpost feed new-epoch) after a restore from backup, when seqs that
-- clients already saw may be given again to other changes.
CREATE TABLE IF NOT EXISTS mail_feed_epoch (
  id TINYINT NOT NULL,
  epoch VARCHAR(32) NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Mail stored with a later startsAt: its "new" change (and its push) waits for this time. The
-- opening job takes due rows, numbers their changes and tells online players.
CREATE TABLE IF NOT EXISTS mail_opening (
  uid BIGINT NOT NULL,
  mail_id BIGINT NOT NULL,
  opens_at BIGINT NOT NULL,
  PRIMARY KEY (uid, mail_id),
  KEY idx_mail_opening_due (opens_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Mail already waiting for its startsAt when the feed arrived opens like mail stored from now on.
INSERT IGNORE INTO mail_opening (uid, mail_id, opens_at)
  SELECT uid, id, created_at FROM mailbox WHERE deleted_at IS NULL AND created_at > UNIX_TIMESTAMP() * 1000;
