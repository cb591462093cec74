-- Issue 19. A region's existing register brought in from a spreadsheet: each import (who, which
-- file, its hash) and each agreement it recorded, under a key computed from the row's facts,
-- so re-importing the same file creates nothing new.
CREATE TABLE register_imports (
    id           UUID PRIMARY KEY,
    region_code  TEXT NOT NULL REFERENCES regions (code),
    file_name    TEXT NOT NULL,
    file_sha256  TEXT NOT NULL,
    sheet        TEXT,
    records      BIGINT NOT NULL,
    imported_by  TEXT NOT NULL,
    imported_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX register_imports_region ON register_imports (region_code, imported_at);

CREATE TABLE imported_records (
    record_key   TEXT PRIMARY KEY,
    import_id    UUID NOT NULL REFERENCES register_imports (id),
    case_id      UUID NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    agreement_id UUID NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    line         BIGINT NOT NULL
);
CREATE INDEX imported_records_case ON imported_records (case_id);

-- A register file uploaded through the page, kept (content-addressed) while its admin checks
-- the preview: only the region that uploaded it may preview or import it.
CREATE TABLE register_uploads (
    sha256       TEXT NOT NULL,
    region_code  TEXT NOT NULL REFERENCES regions (code),
    file_name    TEXT NOT NULL,
    uploaded_by  TEXT NOT NULL,
    uploaded_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (sha256, region_code)
);
