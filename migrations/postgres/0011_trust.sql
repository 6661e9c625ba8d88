-- Trust between co-ops (issue #13): what members say about themselves, and the references written after a stay.

-- A member's profile, shown to the members of the networks they share: a short bio, the languages they speak
-- (comma-separated ISO 639-1 codes) and the skills they bring (comma-separated free tags, lower-cased).
ALTER TABLE users ADD COLUMN bio TEXT NOT NULL DEFAULT '' CHECK (char_length(bio) <= 2000);
ALTER TABLE users ADD COLUMN languages TEXT NOT NULL DEFAULT '' CHECK (char_length(languages) <= 200);
ALTER TABLE users ADD COLUMN skills TEXT NOT NULL DEFAULT '' CHECK (char_length(skills) <= 1000);

-- After a completed stay each side writes one reference: the traveller about the host co-op, the host co-op's
-- admins (one of them, for the co-op) about the traveller. The primary key makes it one per side per stay.
CREATE TABLE stay_references (
    stay_request_id BIGINT  NOT NULL REFERENCES stay_requests (stay_request_id) ON DELETE CASCADE,
    side            TEXT    NOT NULL CHECK (side IN ('traveller', 'host')),
    author_id       BIGINT  REFERENCES users (user_id) ON DELETE SET NULL,
    recommend       BOOLEAN NOT NULL,
    -- Shown to the members of the stay's network once both sides wrote or the window closed.
    body            TEXT    NOT NULL CHECK (char_length(body) BETWEEN 1 AND 2000),
    -- Read by the network's coordinators only.
    private_note    TEXT    NOT NULL DEFAULT '' CHECK (char_length(private_note) <= 2000),
    created_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (stay_request_id, side)
);

-- The backstop of the service's rules: a reference is about a completed stay and is written at most 14 days after
-- its check-out (15 by the UTC date, since the service counts the days in the host co-op's zone).
CREATE FUNCTION stay_references_window() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM stay_requests s
        WHERE s.stay_request_id = NEW.stay_request_id AND s.status = 'completed'
          AND (NEW.created_at AT TIME ZONE 'UTC')::date <= s.check_out + 15) THEN
        RAISE EXCEPTION 'a reference needs a completed stay within 14 days of check-out' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER stay_references_window BEFORE INSERT ON stay_references
    FOR EACH ROW EXECUTE FUNCTION stay_references_window();

-- The ledger and the reputation read completed stays per host offer and per travelling co-op.
CREATE INDEX stay_requests_traveller_coop ON stay_requests (traveller_coop_id, status);
