-- Issue 22. The shipped land borders (provinces, and now kabupaten/kota) are [U] reference data
-- an operator corrects: a border an operator adds or removes is marked as theirs, and a removed
-- one is kept (flagged) so that loading a newer shipped list never brings it back.
ALTER TABLE region_borders ADD COLUMN source TEXT NOT NULL DEFAULT 'shipped';
ALTER TABLE region_borders ADD COLUMN removed BOOLEAN NOT NULL DEFAULT FALSE;
