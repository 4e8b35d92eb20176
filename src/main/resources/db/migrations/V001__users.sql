-- Players as the cluster last saw them at login: the token's claims, kept for all_to_date,
-- segment targets and send-by-name.
CREATE TABLE IF NOT EXISTS users (
  uid BIGINT NOT NULL PRIMARY KEY,
  name VARCHAR(64) NULL,
  created_at BIGINT NOT NULL,
  zone VARCHAR(64) NULL,
  level INT NULL,
  tags VARCHAR(512) NULL,
  first_login_at BIGINT NOT NULL,
  last_login_at BIGINT NOT NULL,
  KEY idx_users_name (name),
  KEY idx_users_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
