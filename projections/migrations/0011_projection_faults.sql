-- The event a projector cannot apply to the read models (its batch failed on the event's
-- data, not on the connection): kept until a batch gets past it, so that an operator sees
-- it (`tenantry projections status`) beside the projector's offset.
CREATE TABLE projection_faults (
  projection   text PRIMARY KEY,
  event_offset bigint NOT NULL,
  event_id     text NOT NULL,
  type         text NOT NULL,
  message      text NOT NULL,
  detected_at  timestamptz NOT NULL DEFAULT now()
);
