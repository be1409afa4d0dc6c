-- The read side's first schema: the events archive, projector positions, tenants, users.
-- Runs with search_path = <schema>, <schema of ltree>; every name here is unqualified.

-- Every event, once, keyed by its log offset: the audit trail, the events API, and the
-- per-aggregate history that restore replays.
CREATE TABLE events (
  position          bigint PRIMARY KEY,
  event_id          uuid UNIQUE,
  type              text NOT NULL,
  subject           text NOT NULL,
  aggregate_type    text NOT NULL,
  aggregate_version bigint NOT NULL,
  occurred_at       timestamptz NOT NULL,
  actor             text,
  correlation_id    text,
  causation_id      text,
  idempotency_key   text,
  partition_key     text,
  data              jsonb NOT NULL
);
CREATE INDEX events_subject_idx ON events (subject, position);
CREATE INDEX events_partition_key_idx ON events (partition_key, position);
CREATE INDEX events_type_idx ON events (type, position);

-- The next log offset each projector applies; written in the same transaction as the
-- rows it built, so a crash neither repeats nor loses an event.
CREATE TABLE projection_offsets (
  projection  text PRIMARY KEY,
  next_offset bigint NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Tenants with their hierarchy. path holds the ids (hex, no dashes) from the root down
-- to the tenant itself; deleted rows stay (their slug remains reserved) and keep their
-- path up to date, so a restore finds its place.
CREATE TABLE tenants (
  id               uuid PRIMARY KEY,
  slug             text NOT NULL UNIQUE,
  name             text NOT NULL,
  description      text NOT NULL DEFAULT '',
  parent_id        uuid,
  level            integer NOT NULL,
  path             ltree NOT NULL,
  status           text NOT NULL,
  effective_status text NOT NULL,
  is_deleted       boolean NOT NULL DEFAULT false,
  deleted_at       timestamptz,
  deletion_id      text,
  version          bigint NOT NULL,
  created_at       timestamptz NOT NULL,
  updated_at       timestamptz NOT NULL
);
CREATE INDEX tenants_path_idx ON tenants USING gist (path);
CREATE INDEX tenants_parent_idx ON tenants (parent_id, lower(name), id);
CREATE INDEX tenants_name_idx ON tenants (lower(name), id);
CREATE INDEX tenants_created_idx ON tenants (created_at, id);
CREATE INDEX tenants_level_idx ON tenants (level);
CREATE INDEX tenants_deletion_idx ON tenants (deletion_id) WHERE deletion_id IS NOT NULL;

-- Users; the password hash never leaves the event log.
CREATE TABLE users (
  id             uuid PRIMARY KEY,
  email          text NOT NULL UNIQUE,
  name           text NOT NULL,
  platform_roles text[] NOT NULL DEFAULT '{}',
  is_active      boolean NOT NULL DEFAULT true,
  version        bigint NOT NULL,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX users_name_idx ON users (lower(name), id);
CREATE INDEX users_created_idx ON users (created_at, id);
