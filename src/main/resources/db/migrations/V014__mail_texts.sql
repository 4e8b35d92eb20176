-- Mail text in every player's language, and templates. A send's texts (every locale's title and
-- body, or a template version and its params) are stored once in mail_texts, on the primary
-- shard; its mails, and a global mail and every copy of it, point at that row (text_id) and keep
-- empty title and body columns. Rows without text_id are plain {title, body} mail as before.
CREATE TABLE IF NOT EXISTS mail_texts (
  id BIGINT NOT NULL AUTO_INCREMENT,
  content MEDIUMTEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

ALTER TABLE mailbox ADD COLUMN IF NOT EXISTS text_id BIGINT NULL;
ALTER TABLE global_mail ADD COLUMN IF NOT EXISTS text_id BIGINT NULL;

-- Every version of every template (primary shard); a PUT adds the next version, none is changed,
-- so a mail shows the version it was sent with for as long as it lives.
CREATE TABLE IF NOT EXISTS mail_templates (
  id VARCHAR(64) NOT NULL,
  version INT NOT NULL,
  texts MEDIUMTEXT NOT NULL,
  created_by VARCHAR(128) NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (id, version)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The language of the player's current session (the login's locale, else the token's), written
-- at each login: mail read or pushed later is shown in it. Null: the mail's default locale.
ALTER TABLE users ADD COLUMN IF NOT EXISTS locale VARCHAR(35) NULL;
