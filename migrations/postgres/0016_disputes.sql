-- Issue 22. Disputes between the parties of a case: raised by one party, settled by
-- consultation or before the Governor or the Minister, with the decision and its date.
CREATE TABLE case_disputes (
    id          UUID PRIMARY KEY,
    case_id     UUID NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    raised_by   BIGINT NOT NULL,
    subject     TEXT NOT NULL,
    description TEXT,
    raised_on   DATE NOT NULL,
    forum       TEXT NOT NULL CHECK (forum IN ('musyawarah', 'gubernur', 'menteri')),
    decision    TEXT,
    decided_on  DATE,
    version     BIGINT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX case_disputes_case ON case_disputes (case_id, created_at);
