-- The hierarchy by B-tree instead of GiST. Every ltree label is a tenant id's 32 hex
-- digits, so as text a subtree is one contiguous range, [path, path || '/') ('.' < '/'
-- and no label contains either), and the ancestors are the ids the path spells out.
-- The GiST index answered <@ and @> by scanning a large part of itself on 100,000 tenants
-- (its signatures saturate); it cost milliseconds per lookup and half of each insert.
DROP INDEX tenants_path_idx;
CREATE INDEX tenants_path_idx ON tenants ((path::text) text_pattern_ops);

-- Room on each page for a new version of its rows: an update that changes no indexed
-- column (description, status, effective status, version, times) stays on the page
-- and writes no index entry (a HOT update). Applies to pages written from now on.
ALTER TABLE tenants SET (fillfactor = 70);
