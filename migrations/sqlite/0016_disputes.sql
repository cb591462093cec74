-- Issue 22. Disputes between the parties of a case: raised by one party, settled by
-- consultation or before the Governor or the Minister, with the decision and its date.
CREATE TABLE case_disputes (
    id          BLOB PRIMARY KEY,
    case_id     BLOB NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    raised_by   INTEGER NOT NULL,
    subject     TEXT NOT NULL,
    description TEXT,
    raised_on   TEXT NOT NULL,
    forum       TEXT NOT NULL CHECK (forum IN ('musyawarah', 'gubernur', 'menteri')),
    decision    TEXT,
    decided_on  TEXT,
    version     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX case_disputes_case ON case_disputes (case_id, created_at);
