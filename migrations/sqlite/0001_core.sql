-- Core schema of Co-op & Travel (DESIGN.md §2), SQLite dialect.
-- The Postgres twin lives in ../postgres/0001_core.sql with the same tables, columns and constraints.
-- Dates are ISO-8601 TEXT (YYYY-MM-DD), timestamps RFC 3339 TEXT in UTC: they sort and compare as text.
-- Invariants are CHECK constraints so that no code path, however buggy, can store an impossible state.

CREATE TABLE networks (
    network_id            INTEGER PRIMARY KEY,
    slug                  TEXT    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 2 AND 64),
    name                  TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    description           TEXT    NOT NULL DEFAULT '',
    -- NULL for a global network, ISO 3166-1 alpha-2 for a national federation.
    country               TEXT    CHECK (country IS NULL OR length(country) = 2),
    -- Visits between verified co-ops skip the coordinator step when set.
    auto_approve_verified INTEGER NOT NULL DEFAULT 0 CHECK (auto_approve_verified IN (0, 1)),
    created_at            TEXT    NOT NULL,
    updated_at            TEXT    NOT NULL
);

CREATE TABLE users (
    user_id       INTEGER PRIMARY KEY,
    -- Stored lower-cased by the application; unique so one person has one account.
    email         TEXT    NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254),
    display_name  TEXT    NOT NULL CHECK (length(display_name) BETWEEN 1 AND 80),
    -- Argon2id PHC string; never leaves the server.
    password_hash TEXT    NOT NULL,
    is_admin      INTEGER NOT NULL DEFAULT 0 CHECK (is_admin IN (0, 1)),
    locale        TEXT    NOT NULL DEFAULT 'en',
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);

CREATE TABLE coops (
    coop_id     INTEGER PRIMARY KEY,
    slug        TEXT    NOT NULL UNIQUE CHECK (length(slug) BETWEEN 2 AND 64),
    name        TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
    country     TEXT    NOT NULL CHECK (length(country) = 2),
    city        TEXT    NOT NULL,
    -- Exact location: private, used for distances only.
    lat         REAL    NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lon         REAL    NOT NULL CHECK (lon BETWEEN -180 AND 180),
    -- Public location: fuzzed once at creation (>= 500 m) and kept, so repeated views cannot average it out.
    public_lat  REAL    NOT NULL CHECK (public_lat BETWEEN -90 AND 90),
    public_lon  REAL    NOT NULL CHECK (public_lon BETWEEN -180 AND 180),
    website     TEXT    NOT NULL DEFAULT '',
    description TEXT    NOT NULL DEFAULT '',
    -- Comma-separated ISO 639-1 codes.
    languages   TEXT    NOT NULL DEFAULT '',
    created_at  TEXT    NOT NULL,
    updated_at  TEXT    NOT NULL
);
CREATE INDEX coops_country ON coops (country);

CREATE TABLE network_memberships (
    network_id INTEGER NOT NULL REFERENCES networks (network_id) ON DELETE CASCADE,
    coop_id    INTEGER NOT NULL REFERENCES coops (coop_id) ON DELETE CASCADE,
    -- Only a coordinator of the network moves a membership out of 'pending'.
    status     TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'verified', 'revoked')),
    note       TEXT    NOT NULL DEFAULT '',
    decided_by INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    decided_at TEXT,
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (network_id, coop_id)
);
CREATE INDEX network_memberships_coop ON network_memberships (coop_id);

CREATE TABLE network_coordinators (
    network_id INTEGER NOT NULL REFERENCES networks (network_id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    created_at TEXT    NOT NULL,
    PRIMARY KEY (network_id, user_id)
);

CREATE TABLE coop_members (
    coop_id    INTEGER NOT NULL REFERENCES coops (coop_id) ON DELETE CASCADE,
    user_id    INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    role       TEXT    NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'host_admin')),
    created_at TEXT    NOT NULL,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (coop_id, user_id)
);
CREATE INDEX coop_members_user ON coop_members (user_id);

CREATE TABLE offers (
    offer_id         INTEGER PRIMARY KEY,
    coop_id          INTEGER NOT NULL REFERENCES coops (coop_id) ON DELETE CASCADE,
    kind             TEXT    NOT NULL CHECK (kind IN ('room', 'bed', 'couch', 'desk', 'visit')),
    title            TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    description      TEXT    NOT NULL DEFAULT '',
    default_capacity INTEGER NOT NULL CHECK (default_capacity BETWEEN 0 AND 1000),
    -- A stay shorter than min_nights or longer than max_nights is refused.
    min_nights       INTEGER NOT NULL DEFAULT 1 CHECK (min_nights >= 1),
    max_nights       INTEGER NOT NULL DEFAULT 30 CHECK (max_nights >= min_nights),
    notice_days      INTEGER NOT NULL DEFAULT 0 CHECK (notice_days >= 0),
    languages        TEXT    NOT NULL DEFAULT '',
    amenities        TEXT    NOT NULL DEFAULT '',
    accessibility    TEXT    NOT NULL DEFAULT '',
    house_rules      TEXT    NOT NULL DEFAULT '',
    skills_wanted    TEXT    NOT NULL DEFAULT '',
    -- Exact address: shown only to a traveller whose stay is confirmed.
    address          TEXT    NOT NULL DEFAULT '',
    public_lat       REAL    NOT NULL CHECK (public_lat BETWEEN -90 AND 90),
    public_lon       REAL    NOT NULL CHECK (public_lon BETWEEN -180 AND 180),
    status           TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'paused')),
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);
CREATE INDEX offers_coop ON offers (coop_id);
CREATE INDEX offers_public_location ON offers (public_lat, public_lon);

-- One row per offer per night. No row, or capacity 0, means not available.
CREATE TABLE calendar_nights (
    offer_id   INTEGER NOT NULL REFERENCES offers (offer_id) ON DELETE CASCADE,
    night      TEXT    NOT NULL CHECK (night GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    capacity   INTEGER NOT NULL CHECK (capacity >= 0),
    -- Guests held (accepted) or booked (confirmed). Never over capacity: the booking UPDATE relies on it.
    reserved   INTEGER NOT NULL DEFAULT 0,
    updated_at TEXT    NOT NULL,
    PRIMARY KEY (offer_id, night),
    CHECK (reserved >= 0 AND reserved <= capacity)
);

CREATE TABLE trips (
    trip_id      INTEGER PRIMARY KEY,
    traveller_id INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    title        TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 120),
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);

CREATE TABLE stay_requests (
    stay_request_id   INTEGER PRIMARY KEY,
    traveller_id      INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    traveller_coop_id INTEGER NOT NULL REFERENCES coops (coop_id) ON DELETE CASCADE,
    offer_id          INTEGER NOT NULL REFERENCES offers (offer_id) ON DELETE CASCADE,
    -- The network through which both co-ops are verified and whose coordinators approve the visit.
    network_id        INTEGER NOT NULL REFERENCES networks (network_id) ON DELETE CASCADE,
    trip_id           INTEGER REFERENCES trips (trip_id) ON DELETE SET NULL,
    -- Half-open range [check_in, check_out): nights = check_out - check_in, at least one.
    check_in          TEXT    NOT NULL,
    check_out         TEXT    NOT NULL,
    guests            INTEGER NOT NULL CHECK (guests BETWEEN 1 AND 1000),
    purpose           TEXT    NOT NULL CHECK (purpose IN ('intercooperation', 'project', 'learning', 'visit', 'other')),
    message           TEXT    NOT NULL DEFAULT '',
    skills_offered    TEXT    NOT NULL DEFAULT '',
    status            TEXT    NOT NULL DEFAULT 'requested' CHECK (status IN (
                          'requested', 'accepted', 'confirmed', 'declined', 'rejected', 'suggested',
                          'withdrawn', 'cancelled', 'completed', 'expired')),
    created_at        TEXT    NOT NULL,
    updated_at        TEXT    NOT NULL,
    CHECK (check_out > check_in)
);
CREATE INDEX stay_requests_offer ON stay_requests (offer_id, check_in);
CREATE INDEX stay_requests_traveller ON stay_requests (traveller_id, check_in);

-- Audit trail: every transition of a stay request, with who, when and why.
CREATE TABLE stay_request_events (
    stay_request_event_id INTEGER PRIMARY KEY,
    stay_request_id       INTEGER NOT NULL REFERENCES stay_requests (stay_request_id) ON DELETE CASCADE,
    -- NULL when the system acted (expiry, completion).
    actor_id              INTEGER REFERENCES users (user_id) ON DELETE SET NULL,
    from_status           TEXT,
    to_status             TEXT    NOT NULL,
    note                  TEXT    NOT NULL DEFAULT '',
    created_at            TEXT    NOT NULL
);
CREATE INDEX stay_request_events_request ON stay_request_events (stay_request_id);
