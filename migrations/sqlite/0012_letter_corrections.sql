-- Issue 13. A letter can be corrected or withdrawn until it is sent: each correction raises its
-- version (a stale one is refused), sending (an act that uses it, or its sender marking it
-- sent) and withdrawing are recorded. Letters recorded before this were records of letters
-- already sent, so they count as sent when they were recorded.
ALTER TABLE letters ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE letters ADD COLUMN sent_at TEXT;
ALTER TABLE letters ADD COLUMN withdrawn_at TEXT;
UPDATE letters SET sent_at = created_at;
