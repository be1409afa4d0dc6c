-- ?search= matches a substring of name or slug (email or name for users). Trigram GIN
-- indexes answer those LIKE '%...%' filters by index instead of by scanning the table.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE INDEX tenants_name_trgm_idx ON tenants USING gin (lower(name) public.gin_trgm_ops);
CREATE INDEX tenants_slug_trgm_idx ON tenants USING gin (slug public.gin_trgm_ops);
CREATE INDEX users_email_trgm_idx ON users USING gin (email public.gin_trgm_ops);
CREATE INDEX users_name_trgm_idx ON users USING gin (lower(name) public.gin_trgm_ops);
