-- Accounts, sessions, API tokens, case-private notes and the hash-chained audit log.
-- Keep in lockstep with ../sqlite/0004_accounts.sql.

-- A user belongs to one region (its government, or its DPRD, or — for a province — its
-- governor as pembina) or, with region_code NULL, to a national oversight body (Kemendagri).
CREATE TABLE users (
    id                   UUID PRIMARY KEY,
    username             TEXT NOT NULL UNIQUE,
    display_name         TEXT NOT NULL,
    email                TEXT,
    region_code          TEXT REFERENCES regions (code),
    unit                 TEXT,
    official_id          UUID REFERENCES officials (id),
    password_hash        TEXT,
    oidc_subject         TEXT UNIQUE,
    language             TEXT NOT NULL,
    failed_logins        INTEGER NOT NULL,
    locked_until         TIMESTAMPTZ,
    sessions_valid_after TIMESTAMPTZ NOT NULL,
    disabled             BOOLEAN NOT NULL,
    version              BIGINT NOT NULL,
    created_at           TIMESTAMPTZ NOT NULL,
    updated_at           TIMESTAMPTZ NOT NULL
);
CREATE INDEX users_region ON users (region_code);

CREATE TABLE user_roles (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role    TEXT NOT NULL,
    PRIMARY KEY (user_id, role)
);

-- Browser sessions: only the SHA-256 of the cookie value is stored.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX sessions_user ON sessions (user_id);

-- API tokens: scoped, revocable, stored hashed; the prefix is shown in listings.
CREATE TABLE api_tokens (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    UNIQUE (user_id, name)
);

-- The OPDs involved in a case on each side (an OPD implementer sees only these cases).
CREATE TABLE case_units (
    case_id     UUID NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    region_code TEXT NOT NULL REFERENCES regions (code),
    unit        TEXT NOT NULL,
    PRIMARY KEY (case_id, region_code, unit)
);
CREATE INDEX case_units_unit ON case_units (region_code, unit);

-- One side's internal papers on a shared case: notes, TKKSD reviews, DPRD papers.
-- Private to that side until it shares them.
CREATE TABLE case_notes (
    id          UUID PRIMARY KEY,
    case_id     UUID NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    region_code TEXT NOT NULL REFERENCES regions (code),
    kind        TEXT NOT NULL CHECK (kind IN ('note', 'tkksd_review', 'dprd_paper')),
    body        TEXT NOT NULL,
    shared      BOOLEAN NOT NULL,
    author_id   UUID REFERENCES users (id),
    author      TEXT NOT NULL,
    version     BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_notes_case ON case_notes (case_id, region_code, created_at);

-- Every change, appended; each entry's hash covers its content and the previous hash.
-- before/after are stored as the exact canonical JSON text that was hashed.
CREATE TABLE audit_log (
    seq          BIGINT PRIMARY KEY,
    id           UUID NOT NULL UNIQUE,
    at           TIMESTAMPTZ NOT NULL,
    actor_id     UUID,
    actor        TEXT NOT NULL,
    on_behalf_of TEXT,
    role         TEXT,
    region_code  TEXT,
    action       TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_id   TEXT,
    case_id      UUID,
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
    seq  BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION audit_log_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_immutable();
