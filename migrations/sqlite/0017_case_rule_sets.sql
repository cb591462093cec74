-- Issue 22. A case keeps the rule set it was opened under, so that a deployment adding a
-- newer set (with its effective date) changes no case already under way. A case recorded
-- before this column follows the set in force on the day it was opened.
ALTER TABLE cases ADD COLUMN rule_set_id TEXT;
ALTER TABLE cases ADD COLUMN rule_set_version INTEGER;
