-- no-transaction
-- Residents' own accounts: a phone number as the log-in name (e-mail optional), a request
-- to be a resident of a village that a facilitator or official confirms, one-time
-- password reset codes an official issues, and tracking codes for anonymous proposers.
--
-- `users.email` becomes optional, which SQLite can only do by rebuilding the table (the
-- documented twelve-step way: foreign keys off, copy, drop, rename, check, on again).
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE users_rebuilt (
    id             BLOB PRIMARY KEY,
    email          TEXT UNIQUE,
    -- E.164 (`+6281234567890`), the form every spelling of a number is read into.
    phone          TEXT UNIQUE,
    name           TEXT NOT NULL,
    password_hash  TEXT NOT NULL,
    is_admin       BOOLEAN NOT NULL DEFAULT FALSE,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK (email IS NOT NULL OR phone IS NOT NULL)
);
INSERT INTO users_rebuilt (id, email, phone, name, password_hash, is_admin, disabled, created_at, updated_at)
    SELECT id, email, NULL, name, password_hash, is_admin, disabled, created_at, updated_at FROM users;
DROP TABLE users;
ALTER TABLE users_rebuilt RENAME TO users;

-- A person asks to be a resident of a village; staff of the village decide.
CREATE TABLE resident_requests (
    id          BLOB PRIMARY KEY,
    user_id     BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    village_id  BLOB NOT NULL REFERENCES villages(id) ON DELETE CASCADE,
    hamlet      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    decided_at  TEXT,
    decided_by  BLOB REFERENCES users(id) ON DELETE SET NULL,
    accepted    BOOLEAN
);
CREATE UNIQUE INDEX resident_requests_open ON resident_requests (user_id, village_id)
    WHERE decided_at IS NULL;
CREATE INDEX resident_requests_by_village ON resident_requests (village_id, decided_at);

-- Only the code's SHA-256 is kept; the code itself is shown once to the official.
CREATE TABLE reset_codes (
    id          BLOB PRIMARY KEY,
    user_id     BLOB NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash   TEXT NOT NULL UNIQUE,
    issued_by   BLOB REFERENCES users(id) ON DELETE SET NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT
);

-- The SHA-256 of a proposal's tracking code (kode lacak); none for a proposal of an account.
ALTER TABLE proposals ADD COLUMN tracking_hash TEXT;
CREATE UNIQUE INDEX proposals_by_tracking ON proposals (tracking_hash) WHERE tracking_hash IS NOT NULL;
COMMIT;
PRAGMA foreign_keys = ON;
