-- An `online` send stores a copy for every player online at send time before it answers. A node
-- that dies in the middle leaves the rest undone; these columns let another node finish it.
-- sending_node: the node walking the registry for it (NULL: nobody, e.g. its walk failed).
-- sent_at: when the walk finished; set at insert for lazily distributed types, which have no walk.
ALTER TABLE global_mail ADD COLUMN IF NOT EXISTS sending_node VARCHAR(64) NULL,
  ADD COLUMN IF NOT EXISTS sent_at BIGINT NULL;

UPDATE global_mail SET sent_at = created_at WHERE sent_at IS NULL;

ALTER TABLE global_mail ADD INDEX IF NOT EXISTS idx_global_mail_unsent (sent_at);
