-- Invitations (issue 4): an email address invited into a tenant with the roles and
-- permissions it gets on acceptance. Only the SHA-256 of the secret token is kept.
-- `status` is the recorded one (pending, accepted, declined, revoked, expired); the
-- queries read a pending invitation past expires_at as expired.

CREATE TABLE invitations (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  invitee     text NOT NULL,
  roles       text[] NOT NULL DEFAULT '{}',
  permissions text[] NOT NULL DEFAULT '{}',
  token_hash  text NOT NULL,
  status      text NOT NULL DEFAULT 'pending',
  expires_at  timestamptz NOT NULL,
  invited_by  uuid NOT NULL,
  answered_by uuid,
  answered_at timestamptz,
  version     bigint NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX invitations_tenant_idx ON invitations (tenant_id, created_at, id);
CREATE INDEX invitations_invitee_idx ON invitations (invitee, created_at, id);
