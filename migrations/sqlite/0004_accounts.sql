-- Accounts, sessions, API tokens, case-private notes and the hash-chained audit log.
-- Keep in lockstep with ../postgres/0004_accounts.sql.

-- A user belongs to one region (its government, or its DPRD, or — for a province — its
-- governor as pembina) or, with region_code NULL, to a national oversight body (Kemendagri).
CREATE TABLE users (
    id                   BLOB PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    email                TEXT,
    region_code          TEXT REFERENCES regions (code),
    unit                 TEXT,
    official_id          BLOB REFERENCES officials (id),
    password_hash        TEXT,
    oidc_subject         TEXT UNIQUE,
    language             TEXT NOT NULL,
    failed_logins        INTEGER NOT NULL,
    locked_until         TEXT,
    sessions_valid_after TEXT NOT NULL,
    disabled             BOOLEAN NOT NULL,
    version              INTEGER NOT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);
CREATE INDEX users_region ON users (region_code);

CREATE TABLE user_roles (
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Browser sessions: only the SHA-256 of the cookie value is stored.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);

-- API tokens: scoped, revocable, stored hashed; the prefix is shown in listings.
CREATE TABLE api_tokens (
    id           BLOB PRIMARY KEY,
    user_id      BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    expires_at   TEXT,
    last_used_at TEXT,
    revoked_at   TEXT,
    UNIQUE (user_id, name)
);

-- The OPDs involved in a case on each side (an OPD implementer sees only these cases).
CREATE TABLE case_units (
    case_id     BLOB NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    region_code TEXT NOT NULL REFERENCES regions (code),
    unit        TEXT NOT NULL,
    PRIMARY KEY (case_id, region_code, unit)
);
CREATE INDEX case_units_unit ON case_units (region_code, unit);

-- One side's internal papers on a shared case: notes, TKKSD reviews, DPRD papers.
-- Private to that side until it shares them.
CREATE TABLE case_notes (
    id          BLOB PRIMARY KEY,
    case_id     BLOB NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    region_code TEXT NOT NULL REFERENCES regions (code),
    kind        TEXT NOT NULL CHECK (kind IN ('note', 'tkksd_review', 'dprd_paper')),
    body        TEXT NOT NULL,
    shared      BOOLEAN NOT NULL,
    author_id   BLOB REFERENCES users (id),
    author      TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, region_code, created_at);

-- Every change, appended; each entry's hash covers its content and the previous hash.
-- before/after are stored as the exact canonical JSON text that was hashed.
CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY,
    id           BLOB NOT NULL UNIQUE,
    at           TEXT NOT NULL,
    actor_id     BLOB,
    actor        TEXT NOT NULL,
    on_behalf_of TEXT,
    role         TEXT,
    region_code  TEXT,
    action       TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id   TEXT,
    case_id      BLOB,
    before_json  TEXT,
    after_json   TEXT,
    request_id   TEXT,
    prev_hash    TEXT NOT NULL,
    hash         TEXT NOT NULL
);
CREATE INDEX audit_log_case ON audit_log (case_id, seq);
CREATE INDEX audit_log_actor ON audit_log (actor_id, seq);

-- The chain's head: one row, updated in the same transaction as each append, so appenders
-- queue on its row lock and the sequence has no gaps.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
