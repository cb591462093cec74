-- Issue 22. The Kerangka Acuan Kerja a party's OPD writes for a case, every saved version
-- kept (never changed); the offer needs the initiator's.
CREATE TABLE kak_versions (
    case_id       UUID NOT NULL REFERENCES cases (id),
    party_ordinal INTEGER NOT NULL,
    region_code   TEXT NOT NULL REFERENCES regions (code),
    version       BIGINT NOT NULL,
    content       JSONB NOT NULL,
    author        TEXT NOT NULL,
    saved_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (case_id, party_ordinal, version)
);
