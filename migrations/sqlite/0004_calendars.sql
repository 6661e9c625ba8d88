-- Offers and calendars managed by hosts (issue #4): iCal feeds with revocable secret tokens, and nights blocked
-- by an imported calendar, remembered so that re-importing replaces the previous import's blocks.

-- Secret tokens of the iCal feeds; a new token revokes the old URL. NULL: no feed yet.
ALTER TABLE offers ADD COLUMN ical_token TEXT;
CREATE UNIQUE INDEX offers_ical_token ON offers (ical_token);
ALTER TABLE users ADD COLUMN ical_token TEXT;
CREATE UNIQUE INDEX users_ical_token ON users (ical_token);

-- The capacity a night had before an import blocked it (NULL: not blocked by an import). An import never goes below
-- what is reserved, so the CHECK on reserved <= capacity keeps holding.
ALTER TABLE calendar_nights ADD COLUMN import_prev_capacity INTEGER CHECK (import_prev_capacity IS NULL OR import_prev_capacity >= 0);

-- When each offer's calendar was last imported, and from what, for the host's information.
ALTER TABLE offers ADD COLUMN imported_at TEXT;
ALTER TABLE offers ADD COLUMN imported_events INTEGER NOT NULL DEFAULT 0;
