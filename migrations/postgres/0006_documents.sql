-- Issue 5: agreement documents — drafts as clause trees with immutable versions, comments per
-- clause, content-addressed files, wet-ink scans, signing keys and electronic signatures.

CREATE TABLE document_drafts (
    id             UUID PRIMARY KEY,
    case_id        UUID NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind           TEXT NOT NULL CHECK (kind IN ('kb', 'pks', 'addendum', 'penawaran', 'berita-acara')),
    template       TEXT NOT NULL,
    latest_version BIGINT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    UNIQUE (case_id, kind)
);

-- A version is never changed, except that its final PDF is attached when it is finalised.
CREATE TABLE document_versions (
    draft_id          UUID NOT NULL REFERENCES document_drafts (id) ON DELETE CASCADE,
    number            BIGINT NOT NULL,
    clauses           JSONB NOT NULL,
    change_note       TEXT,
    author            TEXT NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    final             BOOLEAN NOT NULL DEFAULT FALSE,
    finalized_at      TIMESTAMPTZ,
    pdf_sha256        TEXT,
    verification_code TEXT UNIQUE,
    PRIMARY KEY (draft_id, number)
);

CREATE TABLE document_comments (
    id            UUID PRIMARY KEY,
    draft_id      UUID NOT NULL REFERENCES document_drafts (id) ON DELETE CASCADE,
    version       BIGINT NOT NULL,
    clause_key    TEXT NOT NULL,
    party_ordinal BIGINT NOT NULL,
    author        TEXT NOT NULL,
    body          TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL
);
CREATE INDEX document_comments_draft ON document_comments (draft_id, version, clause_key);

-- Content-addressed files: the bytes live in the FileStore under their SHA-256.
CREATE TABLE stored_files (
    sha256     TEXT PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind IN ('pdf', 'docx', 'png', 'jpeg')),
    size       BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE wet_ink_scans (
    id             UUID PRIMARY KEY,
    draft_id       UUID NOT NULL REFERENCES document_drafts (id) ON DELETE CASCADE,
    version        BIGINT NOT NULL,
    file_sha256    TEXT NOT NULL REFERENCES stored_files (sha256),
    file_name      TEXT,
    paraf_every_page BOOLEAN NOT NULL,
    meterai        BOOLEAN NOT NULL,
    stempel        BOOLEAN NOT NULL,
    uploaded_by    TEXT NOT NULL,
    uploaded_at    TIMESTAMPTZ NOT NULL,
    validated_by   TEXT,
    validated_at   TIMESTAMPTZ
);

CREATE TABLE signing_keys (
    id             UUID PRIMARY KEY,
    official_id    UUID NOT NULL UNIQUE REFERENCES officials (id),
    scheme         TEXT NOT NULL,
    public_key     BYTEA NOT NULL,
    sealed_private BYTEA NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE document_signatures (
    id            UUID PRIMARY KEY,
    draft_id      UUID NOT NULL REFERENCES document_drafts (id) ON DELETE CASCADE,
    version       BIGINT NOT NULL,
    party_ordinal BIGINT NOT NULL,
    official_id   UUID NOT NULL REFERENCES officials (id),
    key_id        UUID NOT NULL REFERENCES signing_keys (id),
    scheme        TEXT NOT NULL,
    pdf_sha256    TEXT NOT NULL,
    code          TEXT NOT NULL,
    signer_name   TEXT NOT NULL,
    capacity      TEXT NOT NULL,
    signed_at     TIMESTAMPTZ NOT NULL,
    signature     BYTEA NOT NULL,
    UNIQUE (draft_id, version, party_ordinal)
);
CREATE INDEX document_signatures_code ON document_signatures (code);
