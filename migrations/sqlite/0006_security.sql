-- Fixes of the security review (issue #15).

-- An outbox that always drains. Each e-mail counts its attempts and waits until its next try (backoff), so one
-- failing message never holds up the others; one that cannot be built or is refused for good is marked failed with
-- the reason, and never tried again. A sender claims the rows it works on until a deadline, so several app
-- instances on one database never send the same e-mail twice (a crashed sender's claim simply runs out).
ALTER TABLE notifications ADD COLUMN email_attempts INTEGER NOT NULL DEFAULT 0 CHECK (email_attempts >= 0);
ALTER TABLE notifications ADD COLUMN email_next_at TEXT;
ALTER TABLE notifications ADD COLUMN email_claimed_until TEXT;
ALTER TABLE notifications ADD COLUMN email_failed_at TEXT;
ALTER TABLE notifications ADD COLUMN email_error TEXT;
-- A message is either still due, sent, or failed: never sent and failed at once.
DROP INDEX notifications_outbox;
CREATE INDEX notifications_outbox ON notifications (notification_id) WHERE emailed_at IS NULL AND email_failed_at IS NULL;

-- Attempts that are throttled per subject rather than per client address: log-ins per e-mail address (known or
-- not, so the answer never tells which accounts exist), current-password checks and calendar imports per account.
-- `subject` is a kind and a key (`login:<hash of the address>`, `password:<user id>`, `import:<user id>`).
CREATE TABLE throttles (
    subject       TEXT    PRIMARY KEY,
    -- Failures (or uses) counted since `window_start`.
    count         INTEGER NOT NULL CHECK (count >= 0),
    window_start  TEXT NOT NULL,
    -- No attempt is taken before this moment (NULL: now).
    blocked_until TEXT,
    updated_at    TEXT NOT NULL
);

-- The per-account lock is replaced by the throttle above (a stranger could keep any known account shut with it).
ALTER TABLE users DROP COLUMN failed_logins;
ALTER TABLE users DROP COLUMN locked_until;

-- One public point per exact location: an offer is at its co-op's address, so it shows the co-op's own fuzzed
-- point. Fuzzing each offer on its own let the average of a co-op's pins walk back toward the door.
UPDATE offers SET public_lat = (SELECT c.public_lat FROM coops c WHERE c.coop_id = offers.coop_id),
                  public_lon = (SELECT c.public_lon FROM coops c WHERE c.coop_id = offers.coop_id);

-- E-mail verification. Sign-up answers the same whether or not the address has an account: it e-mails a link to
-- confirm the address (new or not yet confirmed) or a note that the account exists. An account is usable once its
-- owner opened the link. Accounts made before this were never asked: they count as confirmed.
ALTER TABLE users ADD COLUMN email_verified_at TEXT;
UPDATE users SET email_verified_at = created_at;
-- Only a hash of the link's token is kept; a link works once, until it expires.
CREATE TABLE email_verifications (
    email_verification_id INTEGER PRIMARY KEY,
    user_id               INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    token_hash            TEXT NOT NULL UNIQUE,
    expires_at            TEXT NOT NULL,
    used_at               TEXT,
    created_at            TEXT NOT NULL
);
CREATE INDEX email_verifications_user ON email_verifications (user_id);
-- Mail about the account itself (a confirmation link, "you already have an account") is e-mail only: it is not
-- listed among a person's notifications, and it is sent whatever their notification setting.
ALTER TABLE notifications ADD COLUMN in_app INTEGER NOT NULL DEFAULT 1 CHECK (in_app IN (0, 1));
