-- One-time submission keys: every form carries a fresh key; the first POST with it
-- claims the key, and once it is answered with a redirect the key remembers where to.
-- A second POST with the same key (a double click, a retry after a dropped connection)
-- is sent to the same place instead of doing the work again. `digest` is SHA-256 of the
-- session's CSRF token and the key, so a key means nothing in another session.
CREATE TABLE submission_keys (
    digest TEXT PRIMARY KEY NOT NULL,
    location TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX submission_keys_by_age ON submission_keys (created_at);
