-- Deleting an account (issue #12). The row stays, so that stays, messages and the audit trail keep an author
-- ("a former member"), and everything personal in it is erased: the address becomes one that cannot receive mail,
-- the name a marker the pages translate, the password hash one no password matches.
ALTER TABLE users ADD COLUMN deleted_at TEXT;
