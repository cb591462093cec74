-- Issue 22. Each region numbers its own naskah from its own register (domain.md §13.1): a
-- rule per document kind (Kode Klasifikasi Arsip of Permendagri 83/2022, unit code, pattern,
-- yearly restart, retention), a running count per register book (klasifikasi + unit) and
-- year, and every number issued (to a KB/PKS/addendum party or an outgoing letter) — never
-- deleted, never issued twice.
CREATE TABLE numbering_rules (
    region_code     TEXT NOT NULL REFERENCES regions (code),
    kind            TEXT NOT NULL CHECK (kind IN ('kb', 'pks', 'addendum', 'surat')),
    classification  TEXT NOT NULL,
    unit_code       TEXT NOT NULL,
    pattern         TEXT NOT NULL,
    yearly_reset    BOOLEAN NOT NULL,
    retention_years INTEGER,
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (region_code, kind)
);
CREATE TABLE number_counters (
    region_code TEXT NOT NULL REFERENCES regions (code),
    book        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    last        BIGINT NOT NULL,
    PRIMARY KEY (region_code, book, year)
);
CREATE TABLE number_register (
    id             BLOB PRIMARY KEY,
    region_code    TEXT NOT NULL REFERENCES regions (code),
    kind           TEXT NOT NULL,
    book           TEXT NOT NULL,
    year           INTEGER NOT NULL,
    seq            BIGINT NOT NULL,
    number         TEXT NOT NULL,
    classification TEXT NOT NULL,
    retained_until INTEGER,
    case_id        BLOB NOT NULL REFERENCES cases (id),
    agreement_id   BLOB REFERENCES agreements (id),
    letter_id      BLOB REFERENCES letters (id),
    party_ordinal  INTEGER NOT NULL,
    issued_on      TEXT NOT NULL,
    issued_by      TEXT NOT NULL,
    issued_at      TEXT NOT NULL,
    UNIQUE (region_code, book, year, seq),
    UNIQUE (region_code, year, number),
    UNIQUE (agreement_id, party_ordinal),
    UNIQUE (letter_id)
);
CREATE INDEX number_register_region ON number_register (region_code, issued_at);
