-- Grants delivered to game servers by webhook or pull use the same outbox rows as the event-bus
-- relay: `next_attempt_at` is when a row may be offered again (the end of a lease or of a retry
-- pause) and `lease_token` who holds it. A grant left unacknowledged past `grants.retentionDays`
-- (counted from its claim, or from an operator's resend) is dead-lettered: `dead_at` set, no
-- longer offered, kept with the last error until an operator resends it.
ALTER TABLE mail_outbox
  ADD COLUMN dead_at BIGINT NULL,
  ADD COLUMN last_error VARCHAR(255) NULL,
  ADD COLUMN resent_at BIGINT NULL,
  ADD KEY idx_outbox_dead (dead_at);
