-- API tokens (issue 4): the SHA-256 of each secret and a short display prefix, never a
-- secret. Rows are never removed: revoked and expired tokens stay for the audit trail.
CREATE TABLE api_tokens (
  id             uuid PRIMARY KEY,
  tenant_id      uuid NOT NULL,
  created_by     uuid NOT NULL,
  name           text NOT NULL,
  description    text NOT NULL DEFAULT '',
  scopes         text[] NOT NULL DEFAULT '{}',
  secret_hash    text NOT NULL UNIQUE,  -- the index every Bearer tnt_... request looks up
  prefix         text NOT NULL,
  expires_at     timestamptz NOT NULL,
  is_revoked     boolean NOT NULL DEFAULT false,
  revoked_at     timestamptz,
  revoked_reason text,
  version        bigint NOT NULL,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX api_tokens_tenant_idx ON api_tokens (tenant_id, created_at, id);

-- The API token an event's actor acted through (`actor` stays the token's creator).
ALTER TABLE events ADD COLUMN actor_token text;
