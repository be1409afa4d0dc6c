-- ?search= on tenants through one trigram index instead of two. search_text holds the
-- lowercased name, a unit separator (never in a name, a slug or a search term) and the
-- slug, so one pattern matches either and the index recheck does not lowercase every
-- candidate row again. Generated: the projector never writes it.
ALTER TABLE tenants ADD COLUMN search_text text
  GENERATED ALWAYS AS (lower(name) || E'\x1f' || slug) STORED;
CREATE INDEX tenants_search_trgm_idx ON tenants USING gin (search_text public.gin_trgm_ops);
DROP INDEX tenants_name_trgm_idx;
DROP INDEX tenants_slug_trgm_idx;
