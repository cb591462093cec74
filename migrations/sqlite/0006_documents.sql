-- Issue 5: agreement documents — drafts as clause trees with immutable versions, comments per
-- clause, content-addressed files, wet-ink scans, signing keys and electronic signatures.

CREATE TABLE document_drafts (
    id             BLOB PRIMARY KEY,
    case_id        BLOB NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('kb', 'pks', 'addendum', 'penawaran', 'berita-acara')),
    template       TEXT NOT NULL,
    latest_version INTEGER NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (case_id, kind)
);

-- A version is never changed, except that its final PDF is attached when it is finalised.
CREATE TABLE document_versions (
    draft_id          BLOB NOT NULL REFERENCES document_drafts (id) ON DELETE CASCADE,
    number            INTEGER NOT NULL,
    clauses           TEXT NOT NULL,
    change_note       TEXT,
    author            TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    final             BOOLEAN NOT NULL DEFAULT FALSE,
    finalized_at      TEXT,
    pdf_sha256        TEXT,
    verification_code TEXT UNIQUE,
    PRIMARY KEY (draft_id, number)
);

CREATE TABLE document_comments (
    id            BLOB PRIMARY KEY,
    draft_id      BLOB NOT NULL REFERENCES document_drafts (id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    clause_key    TEXT NOT NULL,
    party_ordinal INTEGER NOT NULL,
    author        TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX document_comments_draft ON document_comments (draft_id, version, clause_key);

-- Content-addressed files: the bytes live in the FileStore under their SHA-256.
CREATE TABLE stored_files (
    sha256     TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('pdf', 'docx', 'png', 'jpeg')),
    size       INTEGER NOT NULL,
    created_at TEXT NOT NULL
);

CREATE TABLE wet_ink_scans (
    id             BLOB PRIMARY KEY,
    draft_id       BLOB NOT NULL REFERENCES document_drafts (id) ON DELETE CASCADE,
    version        INTEGER NOT NULL,
    file_sha256    TEXT NOT NULL REFERENCES stored_files (sha256),
    file_name      TEXT,
    paraf_every_page BOOLEAN NOT NULL,
    meterai        BOOLEAN NOT NULL,
    stempel        BOOLEAN NOT NULL,
    uploaded_by    TEXT NOT NULL,
    uploaded_at    TEXT NOT NULL,
    validated_by   TEXT,
    validated_at   TEXT
);

CREATE TABLE signing_keys (
    id             BLOB PRIMARY KEY,
    official_id    BLOB NOT NULL UNIQUE REFERENCES officials (id),
    scheme         TEXT NOT NULL,
    public_key     BLOB NOT NULL,
    sealed_private BLOB NOT NULL,
    created_at     TEXT NOT NULL
);

CREATE TABLE document_signatures (
    id            BLOB PRIMARY KEY,
    draft_id      BLOB NOT NULL REFERENCES document_drafts (id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    party_ordinal INTEGER NOT NULL,
    official_id   BLOB NOT NULL REFERENCES officials (id),
    key_id        BLOB NOT NULL REFERENCES signing_keys (id),
    scheme        TEXT NOT NULL,
    pdf_sha256    TEXT NOT NULL,
    code          TEXT NOT NULL,
    signer_name   TEXT NOT NULL,
    capacity      TEXT NOT NULL,
    signed_at     TEXT NOT NULL,
    signature     BLOB NOT NULL,
    UNIQUE (draft_id, version, party_ordinal)
);
CREATE INDEX document_signatures_code ON document_signatures (code);
