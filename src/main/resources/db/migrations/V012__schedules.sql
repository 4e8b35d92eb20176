-- Scheduled campaigns: a cron rule that sends one mail body at each run. Read and written on the
-- primary shard only. Times are epoch milliseconds.

-- One schedule. `mail` is the POST /admin/mail body as it was checked at creation. Of the run
-- times the cron gives, `next_run_at` is the next one not yet claimed (null: none left, or the
-- schedule was deleted). A node claims a run by writing `pending_run_at` and a lease
-- (`lease_owner`, `lease_until`) under the row lock; the run is finished (or given up) by clearing
-- them, guarded on `pending_run_at`. `due_at` is when the job must look at the row next (the next
-- run, or the end of a pending run's lease or retry pause), so finding work is one index range.
CREATE TABLE IF NOT EXISTS schedules (
  id BIGINT NOT NULL AUTO_INCREMENT,
  name VARCHAR(128) NOT NULL,
  cron VARCHAR(128) NOT NULL,
  timezone VARCHAR(64) NOT NULL,
  starts_at BIGINT NULL,
  ends_at BIGINT NULL,
  mail MEDIUMTEXT NOT NULL,
  created_by VARCHAR(96) NOT NULL,
  created_at BIGINT NOT NULL,
  deleted_at BIGINT NULL,
  next_run_at BIGINT NULL,
  last_run_at BIGINT NULL,
  pending_run_at BIGINT NULL,
  lease_owner VARCHAR(160) NULL,
  lease_until BIGINT NULL,
  attempts INT NOT NULL DEFAULT 0,
  due_at BIGINT NULL,
  PRIMARY KEY (id),
  KEY idx_schedules_due (due_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- What each run did: `sent` with the send's answer (`{mailIds, sendId}` or `{globalMailId}`),
-- `skipped` (a run missed while no node ran it, older than the one sent in its place), or `failed`
-- with the error. The primary key makes a run's record unique whichever node writes it.
CREATE TABLE IF NOT EXISTS schedule_runs (
  schedule_id BIGINT NOT NULL,
  run_at BIGINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  result TEXT NULL,
  error VARCHAR(512) NULL,
  node VARCHAR(160) NULL,
  finished_at BIGINT NOT NULL,
  PRIMARY KEY (schedule_id, run_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
