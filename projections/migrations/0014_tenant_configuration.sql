-- Tenant configuration (PATCH /v1/tenants/{ref}/configuration): a JSON object, {} when none.
ALTER TABLE tenants ADD COLUMN configuration jsonb NOT NULL DEFAULT '{}'::jsonb;
