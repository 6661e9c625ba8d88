-- Invitation letters (issue #13): issued by a host co-op for a confirmed stay, for the traveller's visa office or
-- employer. The row keeps what the letter says as it was issued, so the public verification page shows exactly
-- that, whatever changes later; the token is the letter's public address (random, 100 bits).
CREATE TABLE invitation_letters (
    letter_id       INTEGER PRIMARY KEY,
    token           TEXT    NOT NULL UNIQUE CHECK (length(token) = 20),
    stay_request_id INTEGER NOT NULL REFERENCES stay_requests (stay_request_id) ON DELETE CASCADE,
    language        TEXT    NOT NULL CHECK (language IN ('en', 'es', 'pt')),
    issued_by       INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    issued_at       TEXT    NOT NULL,
    -- What the letter says.
    traveller_name  TEXT    NOT NULL CHECK (length(traveller_name) BETWEEN 1 AND 200),
    traveller_coop  TEXT    NOT NULL CHECK (length(traveller_coop) BETWEEN 1 AND 200),
    host_coop       TEXT    NOT NULL CHECK (length(host_coop) BETWEEN 1 AND 200),
    host_city       TEXT    NOT NULL CHECK (length(host_city) <= 200),
    host_country    TEXT    NOT NULL CHECK (length(host_country) = 2),
    network_name    TEXT    NOT NULL CHECK (length(network_name) BETWEEN 1 AND 200),
    check_in        TEXT    NOT NULL,
    check_out       TEXT    NOT NULL,
    purpose         TEXT    NOT NULL CHECK (purpose IN ('intercooperation', 'project', 'learning', 'visit', 'other')),
    address         TEXT    NOT NULL CHECK (length(address) <= 500),
    -- The host admin who issued it; blanked when they delete their account.
    signer_name     TEXT    NOT NULL CHECK (length(signer_name) <= 200),
    -- Withdrawn by the host co-op; a letter also stops being valid when its stay is cancelled.
    revoked_at      TEXT,
    revoked_note    TEXT    NOT NULL DEFAULT '' CHECK (length(revoked_note) <= 500),
    CHECK (check_out > check_in)
);

-- One letter in force per stay and language: issuing again gives the same letter until it is withdrawn.
CREATE UNIQUE INDEX invitation_letters_in_force ON invitation_letters (stay_request_id, language)
    WHERE revoked_at IS NULL;

-- The backstop of the service's rule: a letter is issued for a confirmed stay only.
CREATE TRIGGER invitation_letters_confirmed BEFORE INSERT ON invitation_letters
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: an invitation letter needs a confirmed stay')
    WHERE NOT EXISTS (
        SELECT 1 FROM stay_requests s WHERE s.stay_request_id = NEW.stay_request_id AND s.status = 'confirmed');
END;
