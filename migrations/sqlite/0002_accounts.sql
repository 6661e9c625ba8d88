-- Accounts, co-op invitations and the audit trail (issue #3). Sessions live in the table that
-- tower-sessions-sqlx-store creates and migrates itself (tower_sessions).

-- Per-account brute-force protection: consecutive failed log-ins, and until when the account refuses log-ins.
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0);
ALTER TABLE users ADD COLUMN locked_until TEXT;

-- An invitation to join a co-op. Only a hash of the token is kept: a leaked database cannot be used to join.
CREATE TABLE coop_invites (
    coop_invite_id INTEGER PRIMARY KEY,
    coop_id        INTEGER NOT NULL REFERENCES coops (coop_id) ON DELETE CASCADE,
    token_hash     TEXT    NOT NULL UNIQUE,
    role           TEXT    NOT NULL CHECK (role IN ('member', 'host_admin')),
    created_by     INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    expires_at     TEXT    NOT NULL,
    -- Single use: set once, by the person who joined with it.
    used_at        TEXT,
    used_by        INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    created_at     TEXT    NOT NULL,
    CHECK (used_by IS NULL OR used_at IS NOT NULL)
);
CREATE INDEX coop_invites_coop ON coop_invites (coop_id);

-- Who decided what, when and why: membership decisions, coordinator appointments, member changes.
CREATE TABLE audit_events (
    audit_event_id INTEGER PRIMARY KEY,
    actor_id       INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    action         TEXT    NOT NULL CHECK (length(action) BETWEEN 1 AND 64),
    network_id     INTEGER REFERENCES networks (network_id) ON DELETE CASCADE,
    coop_id        INTEGER REFERENCES coops (coop_id) ON DELETE CASCADE,
    subject_id     INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    note           TEXT    NOT NULL DEFAULT '',
    created_at     TEXT    NOT NULL
);
CREATE INDEX audit_events_network ON audit_events (network_id, created_at);
CREATE INDEX audit_events_coop ON audit_events (coop_id, created_at);
