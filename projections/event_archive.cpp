#include "projections/event_archive.hpp"

#include <array>
#include <optional>
#include <tuple>

#include <spdlog/spdlog.h>
#include <pqxx/except>
#include <pqxx/result>
#include <pqxx/stream_to>
#include <pqxx/subtransaction>

#include "events/ids.hpp"
#include "events/storable_text.hpp"
#include "projections/postgres/postgres_codec.hpp"

namespace tenantry {

// One value of a COPY row: text, or NULL when absent.
struct archive_copy_value {
  const std::optional<std::string>* value;
};

}  // namespace tenantry

// libpqxx 6.4 streams any type with string_traits; this one only ever writes.
template <>
struct pqxx::string_traits<tenantry::archive_copy_value> {
  static constexpr const char* name() noexcept { return "archive_copy_value"; }
  static constexpr bool has_null() noexcept { return true; }
  static bool is_null(const tenantry::archive_copy_value& v) { return !v.value->has_value(); }
  static tenantry::archive_copy_value null() { return {nullptr}; }
  static void from_string(const char*, tenantry::archive_copy_value&) {
    throw pqxx::usage_error("archive_copy_value is write-only");
  }
  static std::string to_string(const tenantry::archive_copy_value& v) { return **v.value; }
};

namespace tenantry {

namespace {

const std::vector<std::string> kArchiveColumns{
    "position",          "event_id",      "type",  "subject",        "aggregate_type",
    "aggregate_version", "occurred_at",   "actor", "correlation_id", "causation_id",
    "idempotency_key",   "partition_key", "data",  "actor_token"};
constexpr std::size_t kColumnCount = 14;
constexpr std::size_t kDataColumn = 12;
constexpr std::size_t kCopyFrom = 200;  // events in a batch

// Small batches (live traffic) and the fallback when COPY meets a position or event id
// that is archived already: one prepared INSERT from arrays that skips existing rows.
const std::string kArchiveBatch = "archive_batch";
const std::string kArchiveBatchSql =
    "INSERT INTO events (position, event_id, type, subject, aggregate_type, aggregate_version,"
    " occurred_at, actor, correlation_id, causation_id, idempotency_key, partition_key, data,"
    " actor_token)"
    " SELECT * FROM unnest($1::bigint[], $2::uuid[], $3::text[], $4::text[], $5::text[],"
    " $6::bigint[], $7::timestamptz[], $8::text[], $9::text[], $10::text[], $11::text[],"
    " $12::text[], $13::jsonb[], $14::text[])"
    " ON CONFLICT DO NOTHING";

const std::string kHistory =
    "SELECT position, event_id::text, type, subject, aggregate_type, aggregate_version,"
    " (extract(epoch FROM occurred_at) * 1000)::bigint, coalesce(actor, ''),"
    " coalesce(correlation_id, ''), coalesce(causation_id, ''), coalesce(idempotency_key, ''),"
    " coalesce(partition_key, ''), data::text, coalesce(actor_token, '')"
    " FROM events WHERE subject = $1 AND position <= $2 ORDER BY position";

using row_values = std::array<std::optional<std::string>, kColumnCount>;

// The archived columns of one event, in kArchiveColumns' order.
row_values archived_values(const stored_event& e) {
  const event_metadata& m = e.meta;
  std::optional<std::string> event_id;
  if (looks_like_uuid(m.event_id)) {
    event_id = m.event_id;
  } else {
    spdlog::error("archive: event at offset {} has no valid event id '{}'; archived without one",
                  e.offset, m.event_id);
  }
  row_values row{std::to_string(e.offset),
                 std::move(event_id),
                 e.type,
                 m.subject,
                 m.aggregate_type,
                 std::to_string(m.aggregate_version),
                 timestamp_param(m.time),
                 null_if_empty(m.actor),
                 null_if_empty(m.correlation_id),
                 null_if_empty(m.causation_id),
                 null_if_empty(m.idempotency_key),
                 null_if_empty(m.partition_key),
                 e.data.empty() ? std::optional<std::string>("null") : e.data,
                 null_if_empty(m.actor_token)};
  // What PostgreSQL cannot store (U+0000, which an older log may hold) is mapped, not refused.
  for (std::size_t i = 0; i < kColumnCount; ++i)
    if (row[i]) i == kDataColumn ? make_storable_json(*row[i]) : make_storable(*row[i]);
  return row;
}

template <std::size_t... I>
auto copy_tuple(const row_values& v, std::index_sequence<I...>) {
  return std::make_tuple(archive_copy_value{&v[I]}...);
}

// COPY: the cheapest way into an indexed table (no per-row statement, multi-row inserts).
// Rows are formatted one at a time, so a batch is never held twice.
void copy_rows(pqxx::transaction_base& tx, const std::vector<stored_event>& batch) {
  pqxx::stream_to stream(tx, "events", kArchiveColumns);
  for (const stored_event& e : batch)
    stream << copy_tuple(archived_values(e), std::make_index_sequence<kColumnCount>());
  stream.complete();
}

// The prepared INSERT (kArchiveBatch).
void insert_missing_rows(pqxx::transaction_base& tx, const std::vector<stored_event>& batch) {
  std::array<std::vector<std::optional<std::string>>, kColumnCount> columns;
  for (auto& c : columns) c.reserve(batch.size());
  for (const stored_event& e : batch) {
    row_values r = archived_values(e);
    for (std::size_t i = 0; i < kColumnCount; ++i) columns[i].push_back(std::move(r[i]));
  }
  tx.conn().prepare(kArchiveBatch, kArchiveBatchSql);  // registered once per connection
  tx.exec_prepared(kArchiveBatch, array_literal(columns[0]), array_literal(columns[1]),
                   array_literal(columns[2]), array_literal(columns[3]), array_literal(columns[4]),
                   array_literal(columns[5]), array_literal(columns[6]), array_literal(columns[7]),
                   array_literal(columns[8]), array_literal(columns[9]), array_literal(columns[10]),
                   array_literal(columns[11]), array_literal(columns[12]),
                   array_literal(columns[13]));
}

}  // namespace

void archive_events(pqxx::dbtransaction& tx, const std::vector<stored_event>& batch) {
  if (batch.empty()) return;
  // COPY costs a savepoint and a few round trips more than the INSERT: worth it from a
  // few hundred events on (a projector catching up), not for live traffic's small batches.
  if (batch.size() < kCopyFrom) {
    insert_missing_rows(tx, batch);
    return;
  }
  // Normally nothing of the batch is archived yet (the offset moves in the same
  // transaction), so COPY runs in a savepoint and the slower INSERT only follows a conflict.
  try {
    pqxx::subtransaction copy(tx, "archive_copy");
    copy_rows(copy, batch);
    copy.commit();
    return;
  } catch (const pqxx::unique_violation& e) {
    spdlog::warn("archive: part of the batch from offset {} is archived already; keeping it",
                 batch.front().offset);
  }
  insert_missing_rows(tx, batch);
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
    e.meta.actor_token = row[13].as<std::string>();
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace tenantry
