-- The user lifecycle (issue 4): soft delete, the profile, and what authentication checks
-- on every request (is_active, is_deleted, auth_generation) in one indexed row.
ALTER TABLE users
  ADD COLUMN is_deleted      boolean NOT NULL DEFAULT false,
  ADD COLUMN deleted_at      timestamptz,
  -- Bumped by a password change, a deactivation and a deletion: access tokens issued in
  -- an earlier generation stop working.
  ADD COLUMN auth_generation bigint NOT NULL DEFAULT 0,
  ADD COLUMN display_name    text NOT NULL DEFAULT '',
  ADD COLUMN locale          text NOT NULL DEFAULT '',
  ADD COLUMN timezone        text NOT NULL DEFAULT '',
  ADD COLUMN phone           text NOT NULL DEFAULT '',
  ADD COLUMN avatar_url      text NOT NULL DEFAULT '',
  ADD COLUMN job_title       text NOT NULL DEFAULT '',
  ADD COLUMN bio             text NOT NULL DEFAULT '';
