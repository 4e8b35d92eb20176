-- Every mail of one personal send carries the send's id (the sendId of its 201 reply), so an
-- operator can recall what is still unclaimed of that send on every shard (DELETE /admin/sends/{id}).
-- Mail stored before has none and cannot be recalled by send, only one by one.
ALTER TABLE mailbox ADD COLUMN IF NOT EXISTS send_id BIGINT NULL;
ALTER TABLE mailbox ADD INDEX IF NOT EXISTS idx_mailbox_send (send_id, claimed_at);

-- Ids handed out in blocks (on the primary shard): a node takes the next block of a name in one
-- statement and gives its ids out itself, so ids are unique across the cluster, small enough for
-- a JavaScript number, and cost one statement per block instead of one per send.
CREATE TABLE IF NOT EXISTS id_blocks (
  name VARCHAR(32) NOT NULL,
  next BIGINT NOT NULL,
  PRIMARY KEY (name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
