-- An online send is pushed by every gate node to its own sessions at once, and each player's copy
-- is written afterwards (lazily). The copies share one mailbox id per shard, reserved when the mail
-- is created, so the push can name the copy before it exists.
ALTER TABLE global_mail ADD COLUMN mail_ids VARCHAR(1024) NULL;

-- Who was online on each gate node when an online send reached it: recorded before the push, it is
-- what the copies are written from (and written again from, if the node writing them dies).
CREATE TABLE IF NOT EXISTS global_online_recipients (
  global_id BIGINT NOT NULL,
  gate_node VARCHAR(128) NOT NULL,
  uids MEDIUMBLOB NOT NULL,
  players INT NOT NULL,
  recorded_at BIGINT NOT NULL,
  owner VARCHAR(128) NULL,
  done_at BIGINT NULL,
  PRIMARY KEY (global_id, gate_node),
  KEY idx_recipients_open (done_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
