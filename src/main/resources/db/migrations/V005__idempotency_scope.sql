-- Idempotency keys are scoped to their producer ("<token subject>/<key>"), which needs more room.
ALTER TABLE mail_idempotency MODIFY idem_key VARCHAR(200) NOT NULL;
