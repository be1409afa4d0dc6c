-- Erasure (crypto-shredding, docs/privacy.md): an erased user keeps its row, with its
-- address "" and its name "erased user". Several erased users share the address "", so
-- addresses are unique among the others only; lookups by address keep a plain index.
ALTER TABLE users DROP CONSTRAINT users_email_key;
CREATE INDEX users_email_idx ON users (email);
CREATE UNIQUE INDEX users_live_email_key ON users (email) WHERE email <> '';
ALTER TABLE users ADD COLUMN is_erased boolean NOT NULL DEFAULT false;
