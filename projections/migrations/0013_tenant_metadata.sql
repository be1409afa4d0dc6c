-- Tenant metadata (PUT /v1/tenants/{slug}, PATCH): a flat object of strings, {} when none.
ALTER TABLE tenants ADD COLUMN metadata jsonb NOT NULL DEFAULT '{}'::jsonb;
