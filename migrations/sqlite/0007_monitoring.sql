-- Implementation and monitoring: the durable job queue, staged reminders with their ledger,
-- in-app notifications and the e-mail outbox, work plans with indicators and realisation,
-- evidence files, programme synergy, the three M&E forms and private calendar feed tokens.
-- Keep in lockstep with ../postgres/0007_monitoring.sql.

-- Durable jobs. A worker claims a due job (PostgreSQL: FOR UPDATE SKIP LOCKED; SQLite: one
-- atomic UPDATE … RETURNING) and holds it for a lease; a job whose lease ran out is claimed
-- again. dedup_key makes scheduling idempotent (one daily sweep per day, one job per e-mail).
CREATE TABLE jobs (
    id           BLOB PRIMARY KEY,
    kind         TEXT NOT NULL,
    payload      TEXT NOT NULL,
    dedup_key    TEXT UNIQUE,
    run_at       TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    attempts     INTEGER NOT NULL,
    max_attempts INTEGER NOT NULL,
    last_error   TEXT,
    claimed_by   TEXT,
    lease_until  TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX jobs_due ON jobs (status, run_at);

-- One row per reminder ever sent: the key is (subject, lead, recipient, channel). The row is
-- inserted if absent in the same transaction as the notification or outbox row it stands for.
CREATE TABLE reminder_ledger (
    subject    TEXT NOT NULL,
    lead       TEXT NOT NULL,
    recipient  BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel    TEXT NOT NULL CHECK (channel IN ('in_app', 'email')),
    kind       TEXT NOT NULL,
    case_id    BLOB REFERENCES cases (id) ON DELETE CASCADE,
    due_on     TEXT NOT NULL,
    sent_on    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (subject, lead, recipient, channel)
);
CREATE INDEX reminder_ledger_case ON reminder_ledger (case_id);

CREATE TABLE notifications (
    id         BLOB PRIMARY KEY,
    user_id    BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    case_id    BLOB REFERENCES cases (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL,
    link       TEXT,
    created_at TEXT NOT NULL,
    read_at    TEXT
);
CREATE INDEX notifications_user ON notifications (user_id, created_at);

CREATE TABLE email_outbox (
    id         BLOB PRIMARY KEY,
    user_id    BLOB REFERENCES users (id) ON DELETE SET NULL,
    to_address TEXT NOT NULL,
    subject    TEXT NOT NULL,
    body       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    status     TEXT NOT NULL CHECK (status IN ('pending', 'sent', 'failed')),
    attempts   INTEGER NOT NULL,
    last_error TEXT,
    created_at TEXT NOT NULL,
    sent_at    TEXT
);
CREATE INDEX email_outbox_status ON email_outbox (status, created_at);

-- Work plan: activities per field under a PKS (or under the KB for a field without a PKS).
CREATE TABLE work_activities (
    id            BLOB PRIMARY KEY,
    case_id       BLOB NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    agreement_id  BLOB NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    field_ordinal INTEGER NOT NULL,
    title         TEXT NOT NULL,
    description   TEXT,
    responsible   TEXT NOT NULL,
    starts_on     TEXT,
    ends_on       TEXT,
    budget        TEXT NOT NULL,
    version       INTEGER NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX work_activities_case ON work_activities (case_id, field_ordinal);

CREATE TABLE activity_indicators (
    id          BLOB PRIMARY KEY,
    activity_id BLOB NOT NULL REFERENCES work_activities (id) ON DELETE CASCADE,
    ordinal     INTEGER NOT NULL,
    name        TEXT NOT NULL,
    unit        TEXT NOT NULL,
    target      REAL NOT NULL,
    UNIQUE (activity_id, ordinal)
);

CREATE TABLE realisations (
    id           BLOB PRIMARY KEY,
    activity_id  BLOB NOT NULL REFERENCES work_activities (id) ON DELETE CASCADE,
    indicator_id BLOB NOT NULL REFERENCES activity_indicators (id) ON DELETE CASCADE,
    value        REAL NOT NULL,
    realised_on  TEXT NOT NULL,
    note         TEXT,
    actor        TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX realisations_activity ON realisations (activity_id, realised_on);

-- Evidence (photos, berita acara): metadata and the SHA-256 of the bytes in the file store.
CREATE TABLE evidence_files (
    id             BLOB PRIMARY KEY,
    realisation_id BLOB NOT NULL REFERENCES realisations (id) ON DELETE CASCADE,
    file_name      TEXT NOT NULL,
    media_type     TEXT NOT NULL,
    size_bytes     INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX evidence_files_realisation ON evidence_files (realisation_id);

-- Programme synergy: each party's RPJMD/RKPD programmes linked to the case's fields.
CREATE TABLE programme_links (
    id            BLOB PRIMARY KEY,
    case_id       BLOB NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    party_ordinal INTEGER NOT NULL,
    field_ordinal INTEGER NOT NULL,
    plan          TEXT NOT NULL CHECK (plan IN ('rpjmd', 'rkpd')),
    code          TEXT NOT NULL,
    name          TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (case_id, party_ordinal, field_ordinal, plan, code)
);

-- Monitoring and evaluation: one form per (subject, period, form kind); draft → submitted → reviewed.
CREATE TABLE evaluations (
    id             BLOB PRIMARY KEY,
    case_id        BLOB NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    agreement_id   BLOB REFERENCES agreements (id) ON DELETE CASCADE,
    subject_key    TEXT NOT NULL,
    period         TEXT NOT NULL,
    form           TEXT NOT NULL CHECK (form IN ('pelaksana', 'tkksd_lokus', 'admin')),
    answers        TEXT NOT NULL,
    rating         INTEGER,
    recommendation TEXT,
    status         TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'reviewed')),
    author         TEXT NOT NULL,
    reviewed_by    TEXT,
    version        INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (subject_key, period, form)
);
CREATE INDEX evaluations_case ON evaluations (case_id, period);

-- Private calendar feeds: only the SHA-256 of the secret token is stored.
CREATE TABLE calendar_feed_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX calendar_feed_tokens_user ON calendar_feed_tokens (user_id);
