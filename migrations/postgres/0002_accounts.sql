-- Accounts, co-op invitations and the audit trail (issue #3). Sessions live in the table that
-- tower-sessions-sqlx-store creates and migrates itself (tower_sessions.session).

-- Per-account brute-force protection: consecutive failed log-ins, and until when the account refuses log-ins.
ALTER TABLE users ADD COLUMN failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0);
ALTER TABLE users ADD COLUMN locked_until TIMESTAMPTZ;

-- An invitation to join a co-op. Only a hash of the token is kept: a leaked database cannot be used to join.
CREATE TABLE coop_invites (
    coop_invite_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    coop_id        BIGINT  NOT NULL REFERENCES coops (coop_id) ON DELETE CASCADE,
    token_hash     TEXT    NOT NULL UNIQUE,
    role           TEXT    NOT NULL CHECK (role IN ('member', 'host_admin')),
    created_by     BIGINT  REFERENCES users (user_id) ON DELETE SET NULL,
    expires_at     TIMESTAMPTZ NOT NULL,
    -- Single use: set once, by the person who joined with it.
    used_at        TIMESTAMPTZ,
    used_by        BIGINT  REFERENCES users (user_id) ON DELETE SET NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    CHECK (used_by IS NULL OR used_at IS NOT NULL)
);
CREATE INDEX coop_invites_coop ON coop_invites (coop_id);

-- Who decided what, when and why: membership decisions, coordinator appointments, member changes.
CREATE TABLE audit_events (
    audit_event_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id       BIGINT  REFERENCES users (user_id) ON DELETE SET NULL,
    action         TEXT    NOT NULL CHECK (char_length(action) BETWEEN 1 AND 64),
    network_id     BIGINT  REFERENCES networks (network_id) ON DELETE CASCADE,
    coop_id        BIGINT  REFERENCES coops (coop_id) ON DELETE CASCADE,
    subject_id     BIGINT  REFERENCES users (user_id) ON DELETE SET NULL,
    note           TEXT    NOT NULL DEFAULT '',
    created_at     TIMESTAMPTZ NOT NULL
);
CREATE INDEX audit_events_network ON audit_events (network_id, created_at);
CREATE INDEX audit_events_coop ON audit_events (coop_id, created_at);
