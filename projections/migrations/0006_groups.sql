-- Groups of users and object permission grants (issue 4). A group belongs to a tenant
-- (tenant_id) or to the platform (NULL). A deleted group stays, marked, keeping its slug;
-- a group inside a deleted tenant is hidden with it and comes back with its restore.

CREATE TABLE groups (
  id          uuid PRIMARY KEY,
  tenant_id   uuid,
  slug        text NOT NULL UNIQUE,
  name        text NOT NULL,
  description text NOT NULL DEFAULT '',
  is_deleted  boolean NOT NULL DEFAULT false,
  version     bigint NOT NULL,
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL
);
CREATE INDEX groups_tenant_idx ON groups (tenant_id, lower(name)) WHERE NOT is_deleted;

CREATE TABLE group_members (
  group_id uuid NOT NULL,
  user_id  uuid NOT NULL,
  added_at timestamptz NOT NULL,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX group_members_user_idx ON group_members (user_id);

-- One permission on one object for a user or a group. tenant_id is the tenant owning the
-- object (the tenant itself for a tenant; NULL for a platform-level object).
CREATE TABLE permission_grants (
  id             uuid PRIMARY KEY,
  principal_type text NOT NULL,
  principal_id   uuid NOT NULL,
  permission     text NOT NULL,
  object_type    text NOT NULL,
  object_id      uuid NOT NULL,
  tenant_id      uuid,
  is_revoked     boolean NOT NULL DEFAULT false,
  revoked_at     timestamptz,
  version        bigint NOT NULL,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX permission_grants_principal_idx ON permission_grants (principal_id)
  WHERE NOT is_revoked;
CREATE INDEX permission_grants_object_idx ON permission_grants (object_type, object_id);
CREATE INDEX permission_grants_tenant_idx ON permission_grants (tenant_id, created_at, id);
