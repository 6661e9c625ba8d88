-- Safety (issue #14): blocks between people, reports and their moderation, suspended accounts, hidden content, and
-- the daily limits of new accounts.

-- A person blocks another: from then on neither can send the other requests or messages, nor see the other in
-- search or on profile pages. One row per direction; either row keeps the two apart.
CREATE TABLE blocks (
    blocker_id INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    blocked_id INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);
CREATE INDEX blocks_blocked ON blocks (blocked_id);

-- A suspended account cannot log in, and its sessions end at once (the session check reads these). No end: for
-- good.
ALTER TABLE users ADD COLUMN suspended_at TEXT;
ALTER TABLE users ADD COLUMN suspended_until TEXT CHECK (suspended_until IS NULL OR suspended_at IS NOT NULL);
-- Content hidden by a moderator: a person's profile text, a co-op's description, an offer (unpublished and kept
-- so until a moderator lifts it), a message of a stay's thread.
ALTER TABLE users ADD COLUMN profile_hidden_at TEXT;
ALTER TABLE coops ADD COLUMN hidden_at TEXT;
ALTER TABLE offers ADD COLUMN hidden_at TEXT CHECK (hidden_at IS NULL OR status <> 'published');
ALTER TABLE stay_messages ADD COLUMN hidden_at TEXT;

-- A member reports a profile, an offer, a co-op or a message. Exactly the subject's own column is set; `about_id`
-- is the person responsible (the profile's owner, the message's author), whom a moderator may warn or suspend.
CREATE TABLE reports (
    report_id       INTEGER PRIMARY KEY,
    reporter_id     INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    subject_kind    TEXT    NOT NULL CHECK (subject_kind IN ('person', 'offer', 'coop', 'message', 'photo')),
    person_id       INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    offer_id        INTEGER REFERENCES offers (offer_id) ON DELETE SET NULL,
    coop_id         INTEGER REFERENCES coops (coop_id) ON DELETE SET NULL,
    stay_message_id INTEGER REFERENCES stay_messages (stay_message_id) ON DELETE SET NULL,
    about_id        INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    reason          TEXT    NOT NULL CHECK (reason IN ('spam', 'scam', 'harassment', 'unsafe', 'other')),
    note            TEXT    NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    created_at      TEXT    NOT NULL,
    -- Set together when a moderator handles it.
    handled_at      TEXT,
    handled_by      INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    outcome         TEXT    CHECK (outcome IN ('dismissed', 'hidden', 'warned', 'suspended')),
    outcome_note    TEXT    NOT NULL DEFAULT '' CHECK (length(outcome_note) <= 2000),
    CHECK ((handled_at IS NULL) = (outcome IS NULL))
);
CREATE INDEX reports_open ON reports (handled_at, created_at);
CREATE INDEX reports_about ON reports (about_id);

-- The networks a report concerns, fixed when it is made: their coordinators see it (admins see every report).
CREATE TABLE report_networks (
    report_id  INTEGER NOT NULL REFERENCES reports (report_id) ON DELETE CASCADE,
    network_id INTEGER NOT NULL REFERENCES networks (network_id) ON DELETE CASCADE,
    PRIMARY KEY (report_id, network_id)
);
CREATE INDEX report_networks_network ON report_networks (network_id);

-- What a new account has sent today (UTC day), per kind: counted in the same transaction as the request or the
-- message, so the limit holds across restarts, instances and concurrent requests.
CREATE TABLE daily_counts (
    user_id INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    day     TEXT    NOT NULL,
    kind    TEXT    NOT NULL CHECK (kind IN ('stay_request', 'first_message')),
    count   INTEGER NOT NULL CHECK (count >= 1),
    PRIMARY KEY (user_id, day, kind)
);

-- Searching the audit trail by person.
CREATE INDEX audit_events_subject ON audit_events (subject_id, created_at);
CREATE INDEX audit_events_created ON audit_events (created_at);
