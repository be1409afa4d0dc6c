-- The events archive keeps the indexes its readers use: the primary key (the log offset),
-- the unique event id, and (subject, position) for the history a restore folds. The
-- indexes by type and by partition key had no reader and cost every projected event two
-- more B-tree insertions (docs/performance.md); the history API adds what its queries
-- need when it lands.
DROP INDEX IF EXISTS events_type_idx;
DROP INDEX IF EXISTS events_partition_key_idx;
