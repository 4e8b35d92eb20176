-- Each part of a send (one send's mails on one shard, written in one transaction with other
-- sends' parts) has a random id, written in the same transaction as its mails. When the outcome of
-- a COMMIT is unknown (the connection died after it was sent), writing the part again finds its id
-- already here and reads its mails back instead of writing them twice. Purged with idempotency keys.
CREATE TABLE IF NOT EXISTS send_parts (
  ref BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (ref),
  KEY idx_send_parts_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
