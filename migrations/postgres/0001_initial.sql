-- Sinergi schema, version 1 (PostgreSQL). Keep in lockstep with ../sqlite/0001_initial.sql.

CREATE TABLE reference_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE regions (
    code            TEXT PRIMARY KEY,
    parent_code     TEXT REFERENCES regions (code),
    level           TEXT NOT NULL CHECK (level IN ('province', 'regency', 'city', 'district', 'village')),
    name            TEXT NOT NULL,
    timezone        TEXT NOT NULL CHECK (timezone IN ('WIB', 'WITA', 'WIT')),
    search_key      TEXT NOT NULL,
    wilayah_version TEXT NOT NULL
);
CREATE INDEX regions_parent ON regions (parent_code);
CREATE INDEX regions_level ON regions (level, code);

CREATE TABLE region_aliases (
    alias      TEXT NOT NULL,
    search_key TEXT NOT NULL,
    code       TEXT NOT NULL REFERENCES regions (code),
    PRIMARY KEY (search_key, code)
);

CREATE TABLE region_borders (
    a    TEXT NOT NULL REFERENCES regions (code),
    b    TEXT NOT NULL REFERENCES regions (code),
    note TEXT NOT NULL,
    PRIMARY KEY (a, b),
    CHECK (a < b)
);

CREATE TABLE urusan (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    grp     TEXT NOT NULL,
    ordinal INTEGER NOT NULL
);

CREATE TABLE pdrb_categories (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    ordinal INTEGER NOT NULL
);

CREATE TABLE cooperation_fields (
    code    TEXT PRIMARY KEY,
    name    TEXT NOT NULL,
    ordinal INTEGER NOT NULL
);

CREATE TABLE cooperation_field_urusan (
    field_code  TEXT NOT NULL REFERENCES cooperation_fields (code),
    urusan_code TEXT NOT NULL REFERENCES urusan (code),
    PRIMARY KEY (field_code, urusan_code)
);

CREATE TABLE rule_sets (
    id             TEXT NOT NULL,
    version        INTEGER NOT NULL,
    effective_from DATE NOT NULL,
    body           JSONB NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (id, version)
);

CREATE TABLE officials (
    id          UUID PRIMARY KEY,
    region_code TEXT NOT NULL REFERENCES regions (code),
    name        TEXT NOT NULL,
    position    TEXT NOT NULL,
    office      TEXT NOT NULL,
    acting      TEXT NOT NULL,
    unit        TEXT,
    nip         TEXT,
    email       TEXT,
    phone       TEXT,
    term_start  DATE,
    term_end    DATE,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX officials_region ON officials (region_code);

CREATE TABLE tkksd (
    id               UUID PRIMARY KEY,
    region_code      TEXT NOT NULL REFERENCES regions (code),
    decree_number    TEXT,
    decree_date      DATE,
    period_start     DATE,
    period_end       DATE,
    secretariat_unit TEXT,
    created_at       TIMESTAMPTZ NOT NULL
);
CREATE INDEX tkksd_region ON tkksd (region_code);

CREATE TABLE tkksd_members (
    tkksd_id    UUID NOT NULL REFERENCES tkksd (id) ON DELETE CASCADE,
    official_id UUID NOT NULL REFERENCES officials (id),
    position    TEXT NOT NULL,
    PRIMARY KEY (tkksd_id, official_id)
);

CREATE TABLE cases (
    id             UUID PRIMARY KEY,
    kind           TEXT NOT NULL,
    direction      TEXT NOT NULL,
    title          TEXT NOT NULL,
    title_key      TEXT NOT NULL,
    object         TEXT,
    background     TEXT,
    stage          TEXT NOT NULL,
    version        BIGINT NOT NULL,
    published      BOOLEAN NOT NULL,
    fictional      BOOLEAN NOT NULL,
    predecessor_id UUID REFERENCES cases (id),
    objectives     JSONB NOT NULL,
    sources        JSONB NOT NULL,
    termination    JSONB,
    year           INTEGER NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL
);
-- The register's orders, for everyone (published only) and for staff (all).
CREATE INDEX cases_updated ON cases (updated_at DESC, id DESC);
CREATE INDEX cases_published_updated ON cases (published, updated_at DESC, id DESC);
CREATE INDEX cases_title ON cases (title_key, id);
CREATE INDEX cases_published_title ON cases (published, title_key, id);
CREATE INDEX cases_stage ON cases (stage);
CREATE INDEX cases_kind ON cases (kind);
CREATE INDEX cases_year ON cases (year, updated_at DESC, id DESC);

CREATE TABLE case_parties (
    case_id         UUID NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    ordinal         INTEGER NOT NULL,
    region_code     TEXT REFERENCES regions (code),
    name            TEXT NOT NULL,
    status          TEXT NOT NULL,
    document_number TEXT,
    signatory_id    UUID REFERENCES officials (id),
    contact         JSONB NOT NULL,
    dprd            JSONB NOT NULL,
    PRIMARY KEY (case_id, ordinal)
);
CREATE UNIQUE INDEX case_parties_one_region ON case_parties (case_id, region_code);
CREATE INDEX case_parties_region ON case_parties (region_code, case_id);

CREATE TABLE case_fields (
    case_id  UUID NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    ordinal  INTEGER NOT NULL,
    code     TEXT REFERENCES cooperation_fields (code),
    label    TEXT NOT NULL,
    priority BOOLEAN NOT NULL,
    PRIMARY KEY (case_id, ordinal)
);
CREATE INDEX case_fields_code ON case_fields (code, case_id);

CREATE TABLE case_field_urusan (
    case_id     UUID NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    ordinal     INTEGER NOT NULL,
    urusan_code TEXT NOT NULL REFERENCES urusan (code),
    PRIMARY KEY (case_id, ordinal, urusan_code)
);
CREATE INDEX case_field_urusan_code ON case_field_urusan (urusan_code, case_id);

CREATE TABLE meetings (
    id           UUID PRIMARY KEY,
    case_id      UUID NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    meeting_date DATE NOT NULL,
    start_time   TEXT,
    end_time     TEXT,
    timezone     TEXT NOT NULL,
    starts_at    TIMESTAMPTZ,
    host_region  TEXT NOT NULL REFERENCES regions (code),
    place        TEXT NOT NULL,
    participants JSONB NOT NULL,
    agenda       JSONB NOT NULL,
    minutes      TEXT,
    outcomes     JSONB NOT NULL,
    next_steps   JSONB NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX meetings_case ON meetings (case_id, meeting_date);

CREATE TABLE letters (
    id           UUID PRIMARY KEY,
    case_id      UUID NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind         TEXT NOT NULL,
    number       TEXT,
    letter_date  DATE NOT NULL,
    from_region  TEXT REFERENCES regions (code),
    to_region    TEXT REFERENCES regions (code),
    signatory_id UUID REFERENCES officials (id),
    subject      TEXT NOT NULL,
    srikandi_ref TEXT,
    attachments  JSONB NOT NULL,
    response     TEXT,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX letters_case ON letters (case_id, letter_date);

CREATE TABLE agreements (
    id         UUID PRIMARY KEY,
    case_id    UUID NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('kb', 'pks', 'addendum')),
    parent_id  UUID REFERENCES agreements (id),
    title      TEXT NOT NULL,
    fields     JSONB NOT NULL,
    status     TEXT NOT NULL,
    place      TEXT,
    signed_on  DATE,
    starts_on  DATE,
    ends_on    DATE,
    parties    JSONB NOT NULL,
    changes    TEXT,
    reason     TEXT,
    version    BIGINT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX agreements_one_kb ON agreements (case_id) WHERE kind = 'kb';
CREATE INDEX agreements_case ON agreements (case_id, created_at);

CREATE TABLE case_history (
    id         UUID PRIMARY KEY,
    case_id    UUID NOT NULL REFERENCES cases (id),
    at         TIMESTAMPTZ NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    from_stage TEXT,
    to_stage   TEXT,
    note       TEXT,
    details    JSONB NOT NULL
);
CREATE INDEX case_history_case ON case_history (case_id, at, id);

-- History rows are immutable: no update, no delete.
CREATE FUNCTION case_history_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'case_history is append-only';
END;
$$;
CREATE TRIGGER case_history_no_update BEFORE UPDATE OR DELETE ON case_history
    FOR EACH ROW EXECUTE FUNCTION case_history_immutable();
