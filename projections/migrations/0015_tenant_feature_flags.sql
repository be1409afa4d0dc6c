-- Feature flags (POST /v1/tenants/{ref}/feature-flags): one row per key set on a tenant.
-- A tenant's delete leaves its rows (the routes answer 404 for a deleted tenant) and its
-- restore finds them again.
CREATE TABLE tenant_feature_flags (
  tenant_id   uuid NOT NULL,
  key         text NOT NULL,
  value       jsonb NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, key)
);
