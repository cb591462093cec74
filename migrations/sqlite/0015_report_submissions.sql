-- Issue 22. Reports a region sent up the line (mapping to Kemendagri, evaluation and
-- implementation reports to the Governor and the Minister): to whom, when, under which letter.
CREATE TABLE report_submissions (
    id            BLOB PRIMARY KEY,
    region_code   TEXT NOT NULL REFERENCES regions (code),
    kind          TEXT NOT NULL CHECK (kind IN ('pemetaan', 'evaluasi', 'pelaksanaan', 'lppd')),
    period        TEXT NOT NULL,
    addressee     TEXT NOT NULL CHECK (addressee IN ('menteri', 'gubernur')),
    via_governor  BOOLEAN NOT NULL,
    letter_number TEXT NOT NULL,
    sent_on       TEXT NOT NULL,
    note          TEXT,
    recorded_by   TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
CREATE INDEX report_submissions_region ON report_submissions (region_code, sent_on);
