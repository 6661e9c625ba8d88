-- Accounts people can trust (issue #12): a forgotten password reset by e-mail, a change of address confirmed at
-- the new one, and "log out everywhere else".

-- A link serves one purpose: confirming the address at sign-up, resetting a forgotten password, or confirming a
-- new address, which the link carries until it is opened.
ALTER TABLE email_verifications ADD COLUMN purpose TEXT NOT NULL DEFAULT 'confirm'
    CHECK (purpose IN ('confirm', 'reset', 'change_email'));
ALTER TABLE email_verifications ADD COLUMN new_email TEXT
    CHECK ((purpose = 'change_email') = (new_email IS NOT NULL) AND (new_email IS NULL OR length(new_email) BETWEEN 3 AND 254));

-- Part of every session's check: changing it ends every session of the account except the one that changed it
-- (a new password, a reset, a new address, "log out everywhere else").
ALTER TABLE users ADD COLUMN session_key TEXT NOT NULL DEFAULT '';

-- Mail sent to another address than the account's: the link that confirms a new address goes to that address.
ALTER TABLE notifications ADD COLUMN email_to TEXT CHECK (email_to IS NULL OR length(email_to) BETWEEN 3 AND 254);

-- Account mail is written in its reader's language when it is made, subject included.
ALTER TABLE notifications ADD COLUMN email_subject TEXT;
