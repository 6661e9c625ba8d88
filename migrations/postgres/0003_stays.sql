-- The request workflow (issue #5): suggested dates, messages, and notifications delivered exactly once.

-- When the host suggests other dates, the request closes as 'suggested' and keeps them, so the traveller can turn
-- them into a new request in one step.
ALTER TABLE stay_requests ADD COLUMN suggested_check_in DATE;
ALTER TABLE stay_requests ADD COLUMN suggested_check_out DATE;

-- The thread of a request between the traveller, the host admins and the coordinators.
CREATE TABLE stay_messages (
    stay_message_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    stay_request_id BIGINT  NOT NULL REFERENCES stay_requests (stay_request_id) ON DELETE CASCADE,
    author_id       BIGINT  REFERENCES users (user_id) ON DELETE SET NULL,
    body            TEXT    NOT NULL CHECK (char_length(body) BETWEEN 1 AND 4000),
    created_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX stay_messages_request ON stay_messages (stay_request_id, created_at);

-- One row per person to tell about an event or a message. The UNIQUE constraints make a second insert for the same
-- thing impossible, so a retried transaction or a restart never notifies twice.
CREATE TABLE notifications (
    notification_id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id               BIGINT  NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    stay_request_id       BIGINT  REFERENCES stay_requests (stay_request_id) ON DELETE CASCADE,
    stay_request_event_id BIGINT  REFERENCES stay_request_events (stay_request_event_id) ON DELETE CASCADE,
    stay_message_id       BIGINT  REFERENCES stay_messages (stay_message_id) ON DELETE CASCADE,
    kind                  TEXT    NOT NULL,
    body                  TEXT    NOT NULL,
    read_at               TIMESTAMPTZ,
    -- Set once the e-mail is handed to the transport; NULL rows are the outbox.
    emailed_at            TIMESTAMPTZ,
    created_at            TIMESTAMPTZ NOT NULL,
    UNIQUE (user_id, stay_request_event_id),
    UNIQUE (user_id, stay_message_id)
);
CREATE INDEX notifications_user ON notifications (user_id, read_at);
CREATE INDEX notifications_outbox ON notifications (emailed_at);

-- Whether a person wants e-mail at all (in-app notifications are always kept).
ALTER TABLE users ADD COLUMN email_notifications BOOLEAN NOT NULL DEFAULT TRUE;

CREATE INDEX stay_requests_network_status ON stay_requests (network_id, status);
CREATE INDEX stay_requests_status_dates ON stay_requests (status, check_in, check_out);
