#include "projections/event_archive.hpp"

#include <optional>

#include <spdlog/spdlog.h>
#include <pqxx/result>

#include "events/ids.hpp"
#include "projections/postgres_codec.hpp"

namespace tenantry {

namespace {

const std::string kArchiveBatch =
    "INSERT INTO events (position, event_id, type, subject, aggregate_type, aggregate_version,"
    " occurred_at, actor, correlation_id, causation_id, idempotency_key, partition_key, data)"
    " SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::text[],"
    " $6::bigint[], $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::text[],"
    " $12::text[], $13::jsonb[])"
    " ON CONFLICT DO NOTHING";

const std::string kHistory =
    "SELECT position, event_id::text, type, subject, aggregate_type, aggregate_version,"
    " (extract(epoch FROM occurred_at) * 1000)::bigint, coalesce(actor, ''),"
    " coalesce(correlation_id, ''), coalesce(causation_id, ''), coalesce(idempotency_key, ''),"
    " coalesce(partition_key, ''), data::text"
    " FROM events WHERE subject = $1 AND position <= $2 ORDER BY position";

using column = std::vector<std::optional<std::string>>;

}  // namespace

void archive_events(pqxx::transaction_base& tx, const std::vector<stored_event>& batch) {
  if (batch.empty()) return;
  const std::size_t n = batch.size();
  column position, event_id, type, subject, aggregate_type, version, time, actor, correlation,
      causation, idempotency_key, partition_key, data;
  for (column* c : {&position, &event_id, &type, &subject, &aggregate_type, &version, &time, &actor,
                    &correlation, &causation, &idempotency_key, &partition_key, &data})
    c->reserve(n);
  for (const stored_event& e : batch) {
    const event_metadata& m = e.meta;
    position.push_back(std::to_string(e.offset));
    if (looks_like_uuid(m.event_id)) {
      event_id.push_back(m.event_id);
    } else {
      spdlog::error("archive: event at offset {} has no valid event id '{}'; archived without one",
                    e.offset, m.event_id);
      event_id.push_back(std::nullopt);
    }
    type.push_back(e.type);
    subject.push_back(m.subject);
    aggregate_type.push_back(m.aggregate_type);
    version.push_back(std::to_string(m.aggregate_version));
    time.push_back(timestamp_param(m.time));
    actor.push_back(null_if_empty(m.actor));
    correlation.push_back(null_if_empty(m.correlation_id));
    causation.push_back(null_if_empty(m.causation_id));
    idempotency_key.push_back(null_if_empty(m.idempotency_key));
    partition_key.push_back(null_if_empty(m.partition_key));
    data.push_back(e.data.empty() ? std::optional<std::string>("null") : e.data);
  }
  tx.exec_params(kArchiveBatch, array_literal(position), array_literal(event_id),
                 array_literal(type), array_literal(subject), array_literal(aggregate_type),
                 array_literal(version), array_literal(time), array_literal(actor),
                 array_literal(correlation), array_literal(causation),
                 array_literal(idempotency_key), array_literal(partition_key), array_literal(data));
}

std::vector<stored_event> archived_history(pqxx::transaction_base& tx, const std::string& subject,
                                           std::int64_t up_to) {
  std::vector<stored_event> out;
  for (const auto& row : tx.exec_params(kHistory, subject, up_to)) {
    stored_event e;
    e.offset = row[0].as<std::int64_t>();
    e.meta.event_id = row[1].is_null() ? std::string() : row[1].as<std::string>();
    e.type = row[2].as<std::string>();
    e.meta.subject = row[3].as<std::string>();
    e.meta.aggregate_type = row[4].as<std::string>();
    e.meta.aggregate_version = row[5].as<std::int64_t>();
    e.meta.time = timestamp_from_millis(row[6].as<std::int64_t>());
    e.meta.actor = row[7].as<std::string>();
    e.meta.correlation_id = row[8].as<std::string>();
    e.meta.causation_id = row[9].as<std::string>();
    e.meta.idempotency_key = row[10].as<std::string>();
    e.meta.partition_key = row[11].as<std::string>();
    e.data = row[12].as<std::string>();
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace tenantry
