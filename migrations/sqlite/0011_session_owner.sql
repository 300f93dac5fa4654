-- Whose session it is and since when, so that a person can see their sessions (devices)
-- and end the ones they no longer use. Sessions saved before this are claimed on their
-- next save.
ALTER TABLE sessions ADD COLUMN user_id BLOB;
ALTER TABLE sessions ADD COLUMN created_at TEXT;
CREATE INDEX sessions_by_user ON sessions (user_id);
