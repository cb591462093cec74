-- Issue 22. The TKKSD's kajian as a record: the meeting (date, mode, attendees, minutes),
-- the recommendation, who decided it, and the telaahan staf file once attached. Written in
-- the transaction of its step (recommend, review_offer).
CREATE TABLE tkksd_reviews (
    id               UUID PRIMARY KEY,
    case_id          UUID NOT NULL REFERENCES cases (id),
    party_ordinal    INTEGER NOT NULL,
    region_code      TEXT NOT NULL REFERENCES regions (code),
    subject          TEXT NOT NULL CHECK (subject IN ('usulan', 'penawaran')),
    meeting_on       DATE NOT NULL,
    mode             TEXT NOT NULL CHECK (mode IN ('luring', 'daring', 'hybrid')),
    attendees        JSONB NOT NULL,
    minutes          TEXT,
    notes            TEXT,
    recommendation   TEXT NOT NULL,
    decided_by       JSONB NOT NULL,
    telaahan_name    TEXT,
    telaahan_type    TEXT,
    telaahan_sha256  TEXT,
    recorded_by      TEXT NOT NULL,
    recorded_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX tkksd_reviews_case ON tkksd_reviews (case_id, recorded_at);
