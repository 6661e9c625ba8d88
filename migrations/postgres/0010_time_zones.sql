-- Time zones (issue #12). A co-op's zone is found from its place unless its admins chose one (NULL: from the
-- place, so it follows a move); notice days, expiry and completion use the host co-op's date. A person's zone is
-- the one their browser reported, or chose on the account page (NULL: UTC), for the times they are shown.
ALTER TABLE coops ADD COLUMN time_zone TEXT CHECK (time_zone IS NULL OR length(time_zone) BETWEEN 1 AND 64);
ALTER TABLE users ADD COLUMN time_zone TEXT CHECK (time_zone IS NULL OR length(time_zone) BETWEEN 1 AND 64);
