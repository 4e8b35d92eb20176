-- The audit trail names where each request came from, and a refusal repeated by one source within
-- a minute is one row with a count (coalesce_key: actor, action, source, result and the minute),
-- so that a flood of refused requests cannot drown the trail. Ordinary rows leave the key NULL.
ALTER TABLE audit_log
  ADD COLUMN source VARCHAR(64) NOT NULL DEFAULT '',
  ADD COLUMN repeats INT NOT NULL DEFAULT 1,
  ADD COLUMN coalesce_key CHAR(64) NULL,
  ADD UNIQUE KEY uq_audit_coalesce (coalesce_key);
