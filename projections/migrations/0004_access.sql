-- Access inside tenants: custom roles, role assignments and memberships (issue 4).
-- Rows are never removed: deleted roles, revoked assignments and removed memberships
-- stay, marked, for the audit trail and for restores.

CREATE TABLE roles (
  id          uuid PRIMARY KEY,
  tenant_id   uuid NOT NULL,
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  permissions text[] NOT NULL DEFAULT '{}',
  is_deleted  boolean NOT NULL DEFAULT false,
  version     bigint NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX roles_tenant_idx ON roles (tenant_id, name) WHERE NOT is_deleted;

-- `role` is a built-in role's name or a custom role's id (as text).
CREATE TABLE role_assignments (
  id             uuid PRIMARY KEY,
  tenant_id      uuid NOT NULL,
  principal_type text NOT NULL,
  principal_id   uuid NOT NULL,
  role           text NOT NULL,
  expires_at     timestamptz,
  is_revoked     boolean NOT NULL DEFAULT false,
  revoked_at     timestamptz,
  version        bigint NOT NULL,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX role_assignments_tenant_idx ON role_assignments (tenant_id, created_at, id);
CREATE INDEX role_assignments_principal_idx ON role_assignments (principal_id)
  WHERE NOT is_revoked;

CREATE TABLE memberships (
  id         uuid PRIMARY KEY,
  tenant_id  uuid NOT NULL,
  user_id    uuid NOT NULL,
  roles      text[] NOT NULL DEFAULT '{}',
  is_removed boolean NOT NULL DEFAULT false,
  version    bigint NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX memberships_live_idx ON memberships (tenant_id, user_id) WHERE NOT is_removed;
CREATE INDEX memberships_user_idx ON memberships (user_id) WHERE NOT is_removed;
