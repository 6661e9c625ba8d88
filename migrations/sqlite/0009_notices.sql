-- Notifications worth reading, to the right people (issue #12). A notification keeps the facts of what happened,
-- not a sentence: it is worded in its reader's language when it is shown or e-mailed.

-- What it is about, for the person's e-mail choice: account mail (always sent), stays, messages, approvals (for
-- coordinators) and the network (join requests, verification decisions, appointments).
ALTER TABLE notifications ADD COLUMN topic TEXT NOT NULL DEFAULT 'stays'
    CHECK (topic IN ('account', 'stays', 'messages', 'approvals', 'network', 'digest'));
-- In which part the reader takes it, so the next step fits: the traveller, the host co-op's admins, the network's
-- coordinators, or a co-op's admins hearing from a network.
ALTER TABLE notifications ADD COLUMN audience TEXT NOT NULL DEFAULT 'traveller'
    CHECK (audience IN ('traveller', 'host', 'coordinator', 'member'));
-- Who did it (NULL: the system, or account mail), and the network and co-op a network event concerns.
ALTER TABLE notifications ADD COLUMN actor_id INTEGER REFERENCES users (user_id) ON DELETE SET NULL;
ALTER TABLE notifications ADD COLUMN network_id INTEGER REFERENCES networks (network_id) ON DELETE CASCADE;
ALTER TABLE notifications ADD COLUMN coop_id INTEGER REFERENCES coops (coop_id) ON DELETE CASCADE;
-- How it is e-mailed, copied from the reader's choice when it is made: at once, in the next daily digest, or not.
ALTER TABLE notifications ADD COLUMN email_mode TEXT NOT NULL DEFAULT 'now' CHECK (email_mode IN ('now', 'digest', 'none'));
-- The digest e-mail that carries it.
ALTER TABLE notifications ADD COLUMN digest_id INTEGER REFERENCES notifications (notification_id) ON DELETE SET NULL;
CREATE INDEX notifications_digest_due ON notifications (user_id) WHERE email_mode = 'digest' AND digest_id IS NULL;
CREATE INDEX notifications_digest ON notifications (digest_id) WHERE digest_id IS NOT NULL;

-- A person's e-mail choice per topic; no row means "at once".
CREATE TABLE email_preferences (
    user_id INTEGER NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
    topic   TEXT    NOT NULL CHECK (topic IN ('stays', 'messages', 'approvals', 'network')),
    mode    TEXT    NOT NULL CHECK (mode IN ('now', 'digest', 'none')),
    PRIMARY KEY (user_id, topic)
);

-- The one switch it replaces: "no e-mail" becomes "none" for every topic.
INSERT INTO email_preferences (user_id, topic, mode)
    SELECT u.user_id, t.topic, 'none' FROM users u
    CROSS JOIN (SELECT 'stays' AS topic UNION ALL SELECT 'messages' UNION ALL SELECT 'approvals' UNION ALL SELECT 'network') t
    WHERE u.email_notifications = 0;
UPDATE notifications SET email_mode = 'none'
    WHERE in_app = 1 AND user_id IN (SELECT user_id FROM users WHERE email_notifications = 0);
ALTER TABLE users DROP COLUMN email_notifications;

-- Earlier rows: account mail keeps its words; a message's notification keeps the message's start and its author;
-- an event's notification takes who acted and their note from the event.
UPDATE notifications SET topic = 'account' WHERE in_app = 0;
UPDATE notifications SET topic = 'messages',
    body = COALESCE((SELECT substr(m.body, 1, 500) FROM stay_messages m WHERE m.stay_message_id = notifications.stay_message_id), ''),
    actor_id = (SELECT m.author_id FROM stay_messages m WHERE m.stay_message_id = notifications.stay_message_id)
    WHERE stay_message_id IS NOT NULL;
UPDATE notifications SET
    body = COALESCE((SELECT e.note FROM stay_request_events e WHERE e.stay_request_event_id = notifications.stay_request_event_id), ''),
    actor_id = (SELECT e.actor_id FROM stay_request_events e WHERE e.stay_request_event_id = notifications.stay_request_event_id)
    WHERE stay_request_event_id IS NOT NULL;
UPDATE notifications SET audience = 'host'
    WHERE stay_request_id IS NOT NULL
      AND user_id <> (SELECT s.traveller_id FROM stay_requests s WHERE s.stay_request_id = notifications.stay_request_id);
